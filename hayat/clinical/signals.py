"""Signals the clinical app sends, for apps above it (billing) that may not be imported from here.

`episode_status_changed(sender=Episode, episode, from_status, to_status, by)` is sent by
`hayat.clinical.lifecycle.transition()` for every status change of an episode, inside the transaction
that makes the change, after the new status and its history row are written. A receiver that writes
(billing opens the episode's bill when it becomes `admitted` or `outpatient`: "the bill opens here")
therefore commits or rolls back together with the change. A receiver must not send e-mail or do other
outside work directly; it uses `transaction.on_commit` for that.

`from_status` is "" for the first status of a new episode (`pending`).

`timed_use_undone(sender=Episode, episode, use, by)` is sent by `hayat.clinical.timed.undo_start()` inside its
transaction, after the use is marked undone: billing corrects the use's line, or refuses (raising a Conflict, which
undoes the whole undo) when the bill is paid or void.
"""

from django.dispatch import Signal

episode_status_changed = Signal()
timed_use_undone = Signal()
