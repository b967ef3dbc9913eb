"""Platform-neutral message types: what adapters hand to the core and what they get back."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Address", "Button", "Incoming", "Reply"]


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message can be delivered: a platform and a chat (or channel) on it.

    Attributes:
        platform: ``"console"``, ``"telegram"`` or ``"slack"``.
        chat_id: The platform's id of the private chat, group or channel.
    """

    platform: str
    chat_id: str


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a reply.

    Attributes:
        label: What the button shows, already in the user's language.
        action: A compact payload the core understands when pressed (at most 64 bytes,
            Telegram's ``callback_data`` limit), for example ``"sub:mega"``.
    """

    label: str
    action: str

    def __post_init__(self) -> None:
        if len(self.action.encode()) > 64:
            raise ValueError(f"button action longer than 64 bytes: {self.action!r}")


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message (or button press) from a user, as the core sees it.

    Attributes:
        platform: ``"console"``, ``"telegram"`` or ``"slack"``.
        user_id: The platform's id of the sender.
        chat_id: Where replies go.
        text: What the user wrote (empty for a button press).
        action: The payload of the pressed button, if this is a button press.
        locale_hint: The platform's idea of the user's language (Telegram ``language_code``,
            Slack locale), if it has one.
        display_name: The sender's name, for greetings only.
        is_group: Whether the chat is a group or channel rather than a private chat.
        staff: The adapter checked with the platform that the sender is staff (a member of
            ``SLACK_STAFF_CHANNEL``); never taken from what the user sent.
    """

    platform: str
    user_id: str
    chat_id: str
    text: str = ""
    action: str | None = None
    locale_hint: str | None = None
    display_name: str | None = None
    is_group: bool = False
    staff: bool = False

    @property
    def address(self) -> Address:
        """The address replies to this message go to."""
        return Address(self.platform, self.chat_id)


@dataclass(frozen=True, slots=True)
class Reply:
    """One reply of the core, in plain text; adapters escape and format it.

    Attributes:
        text: The body, plain text; lines starting with ``"• "`` are list items.
        language: The language the reply is written in (``es``, ``en`` or ``fr``).
        title: An optional heading that adapters show in bold.
        buttons: Rows of buttons.
        document: An optional attachment ``(filename, content bytes)``, e.g. a calendar file.
    """

    text: str
    language: str
    title: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    document: tuple[str, bytes] | None = None
