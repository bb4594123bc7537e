from oauth2_provider.oauth2_validators import OAuth2Validator


class ProfileClaimsValidator(OAuth2Validator):
    """Adds the user's email and name to the ID token and to userinfo.

    DOT filters each claim by the scope `oidc_claim_scope` maps it to (email
    and email_verified need `email`; name and preferred_username need
    `profile`). Returning callables without looking at the request lets DOT
    list the claims in discovery's claims_supported.
    """

    def get_additional_claims(self):
        return {
            "email": lambda request: request.user.email,
            "email_verified": lambda request: True,
            "name": lambda request: request.user.get_full_name() or request.user.username,
            "preferred_username": lambda request: request.user.username,
        }
