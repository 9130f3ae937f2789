import pytest

from digests import compose


@pytest.fixture(autouse=True)
def fresh_renderings():
    """Each test starts without the parts and frames an earlier test's
    e-mails left rendered in this process."""
    compose.sections_forget()
    yield
    compose.sections_forget()
