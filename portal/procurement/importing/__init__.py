"""Importing OCDS releases into opportunities, recorded as an ImportRun.

``runs.import_sources`` checks every source first (a source that cannot be read fails
the run before anything is saved; in a directory, such a file is skipped with a
warning), then ``chunks.import_releases`` streams the releases in chunks of
``chunks.CHUNK_SIZE``:

- one query finds the chunk's existing opportunities with the content hash of every
  release applied to each; an opportunity whose releases in the chunk were all applied
  before, with the same content, by the same mapping code (``merging.MAPPING_VERSION``),
  is unchanged without mapping them again (the usual case of a scheduled feed);
- the other releases are mapped (``ocds.mapping.map_release``) and those of each ocid
  merged in memory (``merging.merge_releases`` with ``ocds.merge.MergeState``: the
  latest ``date`` wins each field, then the content hash, so the result never depends
  on the order releases are read in); a release whose id was seen with other content is
  reported as a conflict;
- the chunk is written in one transaction with the run's counts (``saving``), new
  opportunities with bulk_create. Should it fail, each opportunity is written in its
  own, and the one that fails is reported as rejected: every opportunity is saved whole
  or not at all.

One release that cannot be read, mapped, merged or saved, for whatever reason, is
rejected and the others imported; the run records what was saved (``recording``). While
it works the run keeps a heartbeat: a run silent for ``runs.STALLED_AFTER`` (its process
ended without a word) is marked failed by the next run or by the periodic
``runs.fail_stalled_runs``.
"""
