Settings:
  min_ready_non_active_jobs_count=5
  max_non_active_job_batch_delay_ms=1860000
  heavy_use_factor=0.9
  moderate_use_factor=0.5
  fg_job_count=4
  conn_congestion_delay_frac=0.5
  conn_prefetch_relax_frac=0.5

Started users: [0]
Registered 0 jobs:

Pending queue:

Active jobs:

