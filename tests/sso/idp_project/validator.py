from oauth2_provider.oauth2_validators import OAuth2Validator


class ClaimsValidator(OAuth2Validator):
    """The claims an organisation's IdP sends: e-mail (verified), names."""

    # Every claim below is returned for the scopes Practica asks for.
    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": f"{user.first_name} {user.last_name}".strip(),
            "given_name": user.first_name,
            "family_name": user.last_name,
            "preferred_username": user.username,
        }
