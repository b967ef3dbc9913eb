"""What one event costs in Web API calls: one ``chat.postMessage``, nothing per event besides.

``auth.test`` is asked once, at start-up (the token is checked there, and bolt's
authorization is given the answer instead of asking on the first request), and
``users.info`` once per user (the locale cache). After that, a burst of messages is a burst of
posts and nothing else.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.e2e.slack.conftest import LOCALES, Slack


async def test_a_burst_of_messages_calls_only_chat_post_message(slack: Slack):
    users = sorted(LOCALES)
    assert [call.method for call in slack.startup_calls] == ["auth.test"]
    for user in users:  # first contact: the user's users.info
        await slack.dm("hola", user=user)
    await slack.fake.wait_for("chat.postMessage", count=len(users))
    first = Counter(call.method for call in slack.fake.calls)
    assert first["auth.test"] == 0
    assert first["users.info"] == len(users)

    slack.fake.reset()
    questions = ["hola", "next events", "merci", "proyectos piloto"]
    sent = [(q, u) for q in questions for u in users]
    statuses = await asyncio.gather(*(slack.dm(q, user=u) for q, u in sent))
    assert all(status == 200 for status, _ in statuses)
    await slack.fake.wait_for("chat.postMessage", count=len(sent))
    await asyncio.sleep(0.2)  # nothing else trails behind the posts
    assert Counter(call.method for call in slack.fake.calls) == {"chat.postMessage": len(sent)}


async def test_bolt_does_not_build_the_assistant_helpers(slack: Slack):
    # The listeners never use say_stream/set_status…; building them costs bolt time per event.
    assert slack.adapter.bolt is not None
    assert slack.adapter.bolt._attaching_conversation_kwargs_enabled is False
