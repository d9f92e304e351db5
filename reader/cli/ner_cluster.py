"""``reader ner --dask``: the options, and the run that sends the texts to a Dask cluster with a
progress bar on stderr. Dask itself is imported only by :mod:`reader.nlp.cluster`, and that only
when ``--dask`` is given, so ``reader`` starts as fast without it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from reader.cli.recognition import progress_bar
from reader.cli.shared import UserError, say

if TYPE_CHECKING:
    from reader.nlp import EntityRecognizer


def _target(text: str) -> str:
    """A ``--dask`` value: ``local:N`` or a scheduler address (a usage error otherwise)."""
    from reader.nlp.cluster import check_target

    try:
        return check_target(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"expected seconds from 0 to 3600, not {text!r}")
    return value


def add_cluster_options(parser: argparse.ArgumentParser, where: argparse._MutuallyExclusiveGroup) -> None:
    """``--dask`` (in the ``where`` group, beside ``--processes``) and ``--dask-timeout``."""
    where.add_argument(
        "--dask",
        type=_target,
        metavar="ADDRESS",
        help="find the entities on a Dask cluster: a scheduler address (tcp://host:8786), or local:N to start "
        "N worker processes here (needs the cluster extra: pip install 'reader-qda[cluster]')",
    )
    parser.add_argument(
        "--dask-timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help="how long to wait for the Dask scheduler to answer (default 10)",
    )


def find_on_cluster(recognizer: EntityRecognizer, texts: dict[str, str], target: str, timeout: float) -> None:
    """Find and cache the entities of ``texts`` (by article id) on the cluster ``target``, with a
    progress bar; the batches that failed on every try are reported, and make this a UserError
    after the rest is cached (a second run sends only those again)."""
    from reader.nlp.cluster import BatchFailed, Cluster, ClusterUnavailable, recognise_on_cluster

    ids = list(texts)
    ordered = [texts[article_id] for article_id in ids]
    failed: dict[str, str] = {}
    done = 0
    try:
        with Cluster(target, timeout=timeout) as cluster:
            say(f"Dask scheduler at {cluster.address}, {cluster.workers()} workers")
            with progress_bar(len(ordered), "Finding entities (Dask)") as advance:
                for index, result in recognise_on_cluster(recognizer, ordered, cluster):
                    if isinstance(result, BatchFailed):
                        failed[ids[index]] = result.reason
                    else:
                        done += 1
                    advance()
    except KeyboardInterrupt:
        say(f"Stopped: the entities of {done} articles were found and cached; a second run sends only the others.")
        raise
    except ClusterUnavailable as error:
        message = str(error)
        raise UserError(message if message.endswith((".", "?")) else f"{message}.") from None
    if failed:
        reasons = sorted(set(failed.values()))
        raise UserError(
            f"the entities of {len(failed)} articles could not be found on the cluster after retries "
            f"({'; '.join(reasons[:3])}); the others are cached, and a second run sends only these again."
        )
