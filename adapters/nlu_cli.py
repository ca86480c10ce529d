"""``assessbot nlu train`` / ``nlu check``: the intent model, trained at build time from generated data.

Training needs scikit-learn (a development dependency); the bot itself only reads the exported weights.
``check`` regenerates the training sentences and compares their fingerprint with the committed model's,
so a change to the templates, the intents or the KB that was not followed by ``nlu train`` fails CI.
"""

from __future__ import annotations

import argparse

from knowledge.kb import load_kb


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    nlu = sub.add_parser("nlu", help="the intent model: train it, or check it is up to date", parents=[common])
    nlu_sub = nlu.add_subparsers(dest="nlu_command", required=True)
    train = nlu_sub.add_parser("train", help="generate the training set, train, export bot/nlu/model/",
                               parents=[common])
    train.add_argument("--no-validation", action="store_true", help="skip the held-back validation report")
    nlu_sub.add_parser("check", help="fail if the committed model was trained on other sentences", parents=[common])


def dispatch(args: argparse.Namespace) -> int:
    from intents import INTENTS

    kb = load_kb()
    if args.nlu_command == "train":
        from bot.nlu.train import train

        report = train(kb, INTENTS, validate=not args.no_validation)
        print("\n".join(report.lines()))
        return 0
    from bot.nlu.train import stale

    problem = stale(kb, INTENTS)
    print(f"PROBLEM: {problem}" if problem else "intent model: up to date with its training data")
    return 1 if problem else 0
