"""Who is writing and in which batch: set by the middleware, the CLI wrapper and loaders."""

import contextlib
import contextvars
import uuid

__all__ = ["actor_context", "current_actor", "current_batch"]

_actor = contextvars.ContextVar("duikou_actor", default=None)
_batch = contextvars.ContextVar("duikou_batch", default=None)


def current_actor():
    return _actor.get()


def current_batch() -> uuid.UUID:
    batch = _batch.get()
    return batch if batch is not None else uuid.uuid4()


@contextlib.contextmanager
def actor_context(actor, batch: uuid.UUID | None = None):
    """Run a block as ``actor`` with one batch id for all its writes."""
    t1 = _actor.set(actor)
    t2 = _batch.set(batch or uuid.uuid4())
    try:
        yield _batch.get()
    finally:
        _actor.reset(t1)
        _batch.reset(t2)
