"""The e-mails Cognito sends a participant, in their locale (the CustomMessage trigger fills them in).

Cognito keeps its own placeholders: ``{username}`` and ``{####}`` (the temporary password, or the
reset code) are replaced by Cognito after the trigger answers, so no secret passes through Salon.
"""

from __future__ import annotations

from dataclasses import dataclass

from salon.kernel.values import DEFAULT_LOCALE, LOCALES

INVITATION = "CustomMessage_AdminCreateUser"
FORGOT_PASSWORD = "CustomMessage_ForgotPassword"


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


_MESSAGES: dict[str, dict[str, Message]] = {
    INVITATION: {
        "fr": Message(
            "Votre accès participant Salon",
            "<p>Bonjour,</p><p>Votre inscription est validée. Connectez-vous au portail participant "
            "avec votre adresse e-mail et ce mot de passe temporaire : <b>{code}</b></p>"
            "<p>Vous choisirez ensuite votre mot de passe. Identifiant technique : {username}</p>",
        ),
        "en": Message(
            "Your Salon participant access",
            "<p>Hello,</p><p>Your registration is confirmed. Sign in to the participant portal "
            "with your e-mail address and this temporary password: <b>{code}</b></p>"
            "<p>You will then choose your own password. Technical username: {username}</p>",
        ),
    },
    FORGOT_PASSWORD: {
        "fr": Message(
            "Réinitialisation de votre mot de passe Salon",
            "<p>Bonjour,</p><p>Votre code de réinitialisation : <b>{code}</b></p>"
            "<p>Si vous n'avez rien demandé, ignorez ce message.</p>",
        ),
        "en": Message(
            "Reset your Salon password",
            "<p>Hello,</p><p>Your reset code: <b>{code}</b></p>"
            "<p>If you did not ask for it, ignore this message.</p>",
        ),
    },
}


def message_for(trigger_source: str, locale: str | None, code: str, username: str) -> Message | None:
    """The localized message for this trigger, keeping Cognito's placeholders; None: Cognito's default."""
    by_locale = _MESSAGES.get(trigger_source)
    if by_locale is None:
        return None
    language = (locale or "").split("-")[0].lower()
    template = by_locale[language if language in LOCALES else DEFAULT_LOCALE]
    return Message(template.subject, template.body.format(code=code, username=username))
