"""The Slack adapter: slack-bolt's AsyncApp in HTTP or Socket Mode, translating to the core.

- :mod:`.adapter`: the AsyncApp wiring and the services that run it;
- :mod:`.convert`: replies as mrkdwn/Block Kit, Slack text as plain text;
- :mod:`.sender`: :class:`SlackSender` for the outbox;
- :mod:`.home`: the App Home tab;
- :mod:`.locale`: the user's Slack locale, cached.

Nothing here connects at import time.
"""
