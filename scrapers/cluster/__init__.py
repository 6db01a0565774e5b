"""A crawl shared by several processes on several machines, on scrapy-redis.

One Redis database holds what the processes share; everything of a run sits under
``tangguh:<run id>:`` and is deleted when the run ends:

- ``<source>:requests`` / ``<source>:dupefilter``: scrapy-redis's priority queue and
  request fingerprints, one pair per source (``queue.LeasedScheduler``);
- ``<source>:leases`` / ``<source>:inflight``: requests popped by a worker and not yet
  done; a lease that is not renewed (the worker died) puts its request back in the queue;
- ``host:<netloc>:*``: the per-host politeness slot of the whole crawl (``hostslot``);
- ``robots:<netloc>``: robots.txt as fetched once for the run (``robots``);
- ``dedup:log`` / ``dedup:lock``: the duplicate detector's shared log
  (``pipelines.dedup_shared``).

``tangguh:run`` names the run in progress, so that ``tangguh worker`` knows what to join.
``context.ClusterContext`` is the live object the components read from the
``TANGGUH_CLUSTER`` setting.
"""
