"""How the plan is shown: item lines and cards, numbered lists and their pages, choices.

Shared by every handler; nothing here reads a message or decides what to answer.
"""
