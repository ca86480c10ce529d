"""``assessbot nlu train`` / ``nlu check``: the intent model, trained at build time from generated data, the
evidence suggestions' unit model, trained from examples of real work (``bot.suggest.train``), and the
answerability model, fitted on the questions asked of the statements (``intents.answerable_train``).

Training needs scikit-learn (a development dependency); the bot itself only reads the exported weights.
``check`` regenerates the training sentences and compares their fingerprint with the committed model's,
so a change to the templates, the intents or the KB that was not followed by ``nlu train`` fails CI.
"""

from __future__ import annotations

import argparse

from knowledge.kb import load_kb


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    nlu = sub.add_parser("nlu", help="the models: train them, or check they are up to date", parents=[common])
    nlu_sub = nlu.add_subparsers(dest="nlu_command", required=True)
    train = nlu_sub.add_parser("train", help="train and export bot/nlu/model/, bot/suggest/model/ and "
                               "intents/answerable.json", parents=[common])
    train.add_argument("--only", choices=("intents", "units", "answerable"), help="train one of the models")
    train.add_argument("--no-validation", action="store_true", help="skip the held-back validation report")
    nlu_sub.add_parser("check", help="fail if a committed model was trained on other data", parents=[common])


def dispatch(args: argparse.Namespace) -> int:
    from intents import INTENTS

    kb = load_kb()
    from bot.suggest import train as units
    from intents import answerable_train as answerable

    if args.nlu_command == "train":
        from bot.nlu.train import train

        if args.only in (None, "intents"):
            print("\n".join(train(kb, INTENTS, validate=not args.no_validation).lines()))
        if args.only in (None, "units"):
            print("\n".join(units.train(kb, validate=not args.no_validation).lines()))
        if args.only in (None, "answerable"):
            print("\n".join(answerable.train(kb).lines()))
        return 0
    from bot.nlu.train import stale

    problems = [p for p in (stale(kb, INTENTS), units.stale(kb), answerable.stale(kb)) if p]
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if not problems:
        print("intent model, unit model and answerability model: up to date with their training data")
    return 1 if problems else 0
