"""MemberEmail writes a body in one piece; the bytes on the wire are the
standard generator's, whatever the body (8bit, quoted-printable for long
lines, any line endings)."""

import pytest

from notifications.emails import MemberEmail


@pytest.mark.parametrize(
    "body",
    [
        "plain ascii\nsecond line\n",
        "Zoë’s café\r\nno newline at the end",
        "a line far too long for SMTP " + "x" * 1200 + "\nthen short\n",
        "\n\n.starts with a dot\rold mac line\n",
    ],
)
def test_member_email_bytes_are_the_standard_generators(body):
    email = MemberEmail(
        subject="Ünïcode subject",
        body=body,
        from_email="Practica <p@example.com>",
        to=["Zoë <zoe@example.com>"],
        headers={"Message-ID": "<fixed@example.com>", "Date": "Mon, 30 Nov 2026"},
    )
    email.attach_alternative(f"<p>{body}</p>", "text/html")
    msg = email.message()
    standard = type(msg).as_bytes(msg, linesep="\r\n")
    assert msg.as_bytes(linesep="\r\n") == standard
    assert msg.as_bytes() == type(msg).as_bytes(msg)
