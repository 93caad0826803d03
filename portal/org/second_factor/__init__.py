"""The second factor (django-otp): an authenticator app (TOTP) plus printed recovery codes.

Who needs it: admins, LP managers, regional managers, hotline supervisors and any
superuser (`second_factor_required`). They enrol at their next login (QR code and secret,
confirmed by a code), then every session of theirs is verified by a code before any page,
`/cms/` and `/admin/` included (`middleware.SecondFactorRequiredMiddleware`). An
administrator resets a lost factor from the people list in `/admin/`; the person enrols
again at the next login. Every enrolment, reset and recovery code used is an `OrgEvent`.
"""
