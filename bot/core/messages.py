"""Platform-neutral message types: what adapters hand to the core and what they get back."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["IN_PLACE", "Address", "Button", "Incoming", "Reply"]


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message can be delivered: a platform and a chat (or channel) on it.

    Attributes:
        platform: ``"console"``, ``"telegram"`` or ``"slack"``.
        chat_id: The platform's id of the private chat, group or channel.
    """

    platform: str
    chat_id: str


# A button action starting with this is answered in place: the reply replaces the message the
# button was on (pages, filters, toggles), where the platform can edit messages.
IN_PLACE = "~"


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a reply: one that sends an action back, or a link.

    Attributes:
        label: What the button shows, already in the user's language.
        action: A compact payload the core understands when pressed (at most 64 bytes,
            Telegram's ``callback_data`` limit), for example ``"sub:mega"``; one that starts
            with :data:`IN_PLACE` (``"~more:nx::10"``) is answered in place. Empty for a
            link.
        url: For a link button: the ``http(s)`` address it opens (nothing is sent back).
    """

    label: str
    action: str = ""
    url: str | None = None

    def __post_init__(self) -> None:
        if self.url is not None:
            if self.action or not self.url.startswith(("https://", "http://")):
                raise ValueError(f"a link button has an http(s) url and no action: {self!r}")
        elif not self.action:
            raise ValueError(f"a button needs an action or a url: {self.label!r}")
        if len(self.action.encode()) > 64:
            raise ValueError(f"button action longer than 64 bytes: {self.action!r}")

    @property
    def in_place(self) -> bool:
        """Whether pressing it updates the message it is on (see :data:`IN_PLACE`)."""
        return self.action.startswith(IN_PLACE)


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
        timezone_hint: The platform's idea of the user's time zone (Slack's ``tz``), used
            until the user chooses one.
        fields: A submitted form's values, ``(name, value)`` pairs (a name repeats for a
            multiple choice); with ``action`` ``"form:<name>"``.
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
    timezone_hint: str | None = None
    fields: tuple[tuple[str, str], ...] = ()

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
        edit: The reply replaces the message whose button was pressed (a page, a filter, a
            toggle); a platform that cannot edit that message sends it as a new one.
        notice: A short acknowledgement of the press ("Subscribed to MEGA"), for platforms
            that show one (Telegram's toast).
        form: A form suits this answer where the platform has forms (Slack's modals):
            ``"subscribe"``, ``"announce"``, ``"edit:<slug>"``; elsewhere the text stands.
        fields: The form's initial values, ``(name, value)`` pairs.
        errors: For a submitted form: the fields refused and why, ``(field, message)``
            pairs; nothing was done.
    """

    text: str
    language: str
    title: str | None = None
    buttons: tuple[tuple[Button, ...], ...] = field(default=())
    document: tuple[str, bytes] | None = None
    edit: bool = False
    notice: str | None = None
    form: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    errors: tuple[tuple[str, str], ...] = ()
