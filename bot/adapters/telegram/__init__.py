"""The Telegram adapter: python-telegram-bot's Application in front of the core.

- :mod:`.convert`: updates → :class:`~bot.core.messages.Incoming`, replies → HTML + keyboards;
- :mod:`.sender`: :class:`~.sender.TelegramSender`, the Sender port for Telegram;
- :mod:`.commands`: the command menus in es/en/fr;
- :mod:`.adapter`: the Application, polling or webhook, as a runtime service.

Importing this package imports nothing heavy; import the modules you need.
"""
