"""``assessbot nlu train`` / ``nlu check``: the intent model, trained at build time from generated data, and
the evidence suggestions' unit model, trained from examples of real work (``bot.suggest.train``).

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
    train = nlu_sub.add_parser("train", help="train and export bot/nlu/model/ and bot/suggest/model/",
                               parents=[common])
    train.add_argument("--only", choices=("intents", "units"), help="train one of the two models")
    train.add_argument("--no-validation", action="store_true", help="skip the held-back validation report")
    nlu_sub.add_parser("check", help="fail if a committed model was trained on other data", parents=[common])


def dispatch(args: argparse.Namespace) -> int:
    from intents import INTENTS

    kb = load_kb()
    from bot.suggest import train as units

    if args.nlu_command == "train":
        from bot.nlu.train import train

        if args.only != "units":
            print("\n".join(train(kb, INTENTS, validate=not args.no_validation).lines()))
        if args.only != "intents":
            print("\n".join(units.train(kb, validate=not args.no_validation).lines()))
        return 0
    from bot.nlu.train import stale

    problems = [p for p in (stale(kb, INTENTS), units.stale(kb)) if p]
    for problem in problems:
        print(f"PROBLEM: {problem}")
    if not problems:
        print("intent model and unit model: up to date with their training data")
    return 1 if problems else 0
