"""How the API's own authentication shows in the OpenAPI schema."""

from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension

from api.permissions import needed_scope


class PersonalAccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.PersonalAccessTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A personal access token (pat_...), made under Account → API tokens."
            ),
        }


class MemberOAuth2Scheme(DjangoOAuthToolkitScheme):
    target_class = "api.authentication.MemberOAuth2Authentication"

    def get_security_requirement(self, auto_schema):
        return {self.name: [needed_scope(auto_schema.view.request)]}
