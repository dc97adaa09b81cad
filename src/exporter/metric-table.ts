// The INFO field → metric mapping, as data. redis_exporter's metric names are what thousands of
// dashboards and alert rules query, so every row here reproduces its name and type for one INFO
// field (quirks included: some `*_total` names are gauges, some counters lack `_total`). A reader
// can diff this file against INFO's field list; metrics.ts only walks the table. The labelled
// families (per command, per db, per replica, config, slowlog, latency) are listed at the bottom
// with their label names, so the exposition and the compatibility test share one source.

export type MetricType = 'gauge' | 'counter' | 'summary' | 'histogram';

/** How an INFO value becomes a sample value. */
export type Transform = 'plain' | 'secondsFromUsec' | 'secondsFromMs';

export interface InfoMetric {
  /** INFO field name ("used_memory"). */
  field: string;
  /** Exported name without the namespace ("memory_used_bytes"). */
  name: string;
  type: 'gauge' | 'counter';
  transform: Transform;
}

/** INFO fields exported as gauges: [field, name]. Sections as INFO prints them. */
const GAUGES: Array<[string, string]> = [
  // Server
  ['uptime_in_seconds', 'uptime_in_seconds'],
  ['process_id', 'process_id'],
  ['io_threads_active', 'io_threads_active'],
  // Clients
  ['connected_clients', 'connected_clients'],
  ['blocked_clients', 'blocked_clients'],
  ['maxclients', 'max_clients'],
  ['tracking_clients', 'tracking_clients'],
  ['clients_in_timeout_table', 'clients_in_timeout_table'],
  ['pubsub_clients', 'pubsub_clients'],
  ['watching_clients', 'watching_clients'],
  ['total_watched_keys', 'total_watched_keys'],
  ['total_blocking_keys', 'total_blocking_keys'],
  ['total_blocking_keys_on_nokey', 'total_blocking_keys_on_nokey'],
  ['client_longest_output_list', 'client_longest_output_list'],
  ['client_biggest_input_buf', 'client_biggest_input_buf'],
  ['client_recent_max_output_buffer', 'client_recent_max_output_buffer_bytes'],
  ['client_recent_max_input_buffer', 'client_recent_max_input_buffer_bytes'],
  // Memory
  ['allocator_active', 'allocator_active_bytes'],
  ['allocator_allocated', 'allocator_allocated_bytes'],
  ['allocator_resident', 'allocator_resident_bytes'],
  ['allocator_frag_ratio', 'allocator_frag_ratio'],
  ['allocator_frag_bytes', 'allocator_frag_bytes'],
  ['allocator_muzzy', 'allocator_muzzy_bytes'],
  ['allocator_rss_ratio', 'allocator_rss_ratio'],
  ['allocator_rss_bytes', 'allocator_rss_bytes'],
  ['used_memory', 'memory_used_bytes'],
  ['used_memory_rss', 'memory_used_rss_bytes'],
  ['used_memory_peak', 'memory_used_peak_bytes'],
  ['used_memory_lua', 'memory_used_lua_bytes'],
  ['used_memory_vm_eval', 'memory_used_vm_eval_bytes'],
  ['used_memory_scripts_eval', 'memory_used_scripts_eval_bytes'],
  ['used_memory_overhead', 'memory_used_overhead_bytes'],
  ['used_memory_startup', 'memory_used_startup_bytes'],
  ['used_memory_dataset', 'memory_used_dataset_bytes'],
  ['number_of_cached_scripts', 'number_of_cached_scripts'],
  ['number_of_functions', 'number_of_functions'],
  ['number_of_libraries', 'number_of_libraries'],
  ['used_memory_vm_functions', 'memory_used_vm_functions_bytes'],
  ['used_memory_scripts', 'memory_used_scripts_bytes'],
  ['used_memory_functions', 'memory_used_functions_bytes'],
  ['used_memory_vm_total', 'memory_used_vm_total'],
  ['maxmemory', 'memory_max_bytes'],
  ['maxmemory_reservation', 'memory_max_reservation_bytes'],
  ['maxmemory_desired_reservation', 'memory_max_reservation_desired_bytes'],
  ['maxfragmentationmemory_reservation', 'memory_max_fragmentation_reservation_bytes'],
  ['maxfragmentationmemory_desired_reservation', 'memory_max_fragmentation_reservation_desired_bytes'],
  ['mem_fragmentation_ratio', 'mem_fragmentation_ratio'],
  ['mem_fragmentation_bytes', 'mem_fragmentation_bytes'],
  ['mem_clients_slaves', 'mem_clients_slaves'],
  ['mem_clients_normal', 'mem_clients_normal'],
  ['mem_cluster_links', 'mem_cluster_links_bytes'],
  ['mem_aof_buffer', 'mem_aof_buffer_bytes'],
  ['mem_replication_backlog', 'mem_replication_backlog_bytes'],
  ['expired_stale_perc', 'expired_stale_percentage'],
  ['mem_not_counted_for_evict', 'mem_not_counted_for_eviction_bytes'],
  ['mem_total_replication_buffers', 'mem_total_replication_buffers_bytes'],
  ['mem_overhead_db_hashtable_rehashing', 'mem_overhead_db_hashtable_rehashing_bytes'],
  ['lazyfree_pending_objects', 'lazyfree_pending_objects'],
  ['lazyfreed_objects', 'lazyfreed_objects'],
  ['active_defrag_running', 'active_defrag_running'],
  ['migrate_cached_sockets', 'migrate_cached_sockets_total'],
  ['active_defrag_hits', 'defrag_hits'],
  ['active_defrag_misses', 'defrag_misses'],
  ['active_defrag_key_hits', 'defrag_key_hits'],
  ['active_defrag_key_misses', 'defrag_key_misses'],
  // Persistence
  ['loading', 'loading_dump_file'],
  ['async_loading', 'async_loading'],
  ['rdb_changes_since_last_save', 'rdb_changes_since_last_save'],
  ['rdb_bgsave_in_progress', 'rdb_bgsave_in_progress'],
  ['rdb_last_save_time', 'rdb_last_save_timestamp_seconds'],
  ['rdb_last_bgsave_status', 'rdb_last_bgsave_status'],
  ['rdb_last_bgsave_time_sec', 'rdb_last_bgsave_duration_sec'],
  ['rdb_current_bgsave_time_sec', 'rdb_current_bgsave_duration_sec'],
  ['rdb_saves', 'rdb_saves_total'],
  ['rdb_last_cow_size', 'rdb_last_cow_size_bytes'],
  ['rdb_last_load_keys_expired', 'rdb_last_load_expired_keys'],
  ['rdb_last_load_keys_loaded', 'rdb_last_load_loaded_keys'],
  ['aof_enabled', 'aof_enabled'],
  ['aof_rewrite_in_progress', 'aof_rewrite_in_progress'],
  ['aof_rewrite_scheduled', 'aof_rewrite_scheduled'],
  ['aof_last_rewrite_time_sec', 'aof_last_rewrite_duration_sec'],
  ['aof_current_rewrite_time_sec', 'aof_current_rewrite_duration_sec'],
  ['aof_last_cow_size', 'aof_last_cow_size_bytes'],
  ['aof_current_size', 'aof_current_size_bytes'],
  ['aof_base_size', 'aof_base_size_bytes'],
  ['aof_pending_rewrite', 'aof_pending_rewrite'],
  ['aof_buffer_length', 'aof_buffer_length'],
  ['aof_rewrite_buffer_length', 'aof_rewrite_buffer_length'],
  ['aof_pending_bio_fsync', 'aof_pending_bio_fsync'],
  ['aof_delayed_fsync', 'aof_delayed_fsync'],
  ['aof_last_bgrewrite_status', 'aof_last_bgrewrite_status'],
  ['aof_last_write_status', 'aof_last_write_status'],
  ['module_fork_in_progress', 'module_fork_in_progress'],
  ['module_fork_last_cow_size', 'module_fork_last_cow_size'],
  // Stats
  ['current_eviction_exceeded_time', 'current_eviction_exceeded_time_ms'],
  ['pubsub_channels', 'pubsub_channels'],
  ['pubsub_patterns', 'pubsub_patterns'],
  ['pubsubshard_channels', 'pubsubshard_channels'],
  ['latest_fork_usec', 'latest_fork_seconds'],
  ['tracking_total_keys', 'tracking_total_keys'],
  ['tracking_total_items', 'tracking_total_items'],
  ['tracking_total_prefixes', 'tracking_total_prefixes'],
  ['instantaneous_eventloop_cycles_per_sec', 'instantaneous_eventloop_cycles_per_sec'],
  ['instantaneous_eventloop_duration_usec', 'instantaneous_eventloop_duration_usec'],
  // Replication
  ['connected_slaves', 'connected_slaves'],
  ['repl_backlog_size', 'replication_backlog_bytes'],
  ['repl_backlog_active', 'repl_backlog_is_active'],
  ['repl_backlog_first_byte_offset', 'repl_backlog_first_byte_offset'],
  ['repl_backlog_histlen', 'repl_backlog_history_bytes'],
  ['master_repl_offset', 'master_repl_offset'],
  ['second_repl_offset', 'second_repl_offset'],
  ['slave_expires_tracked_keys', 'slave_expires_tracked_keys'],
  ['slave_priority', 'slave_priority'],
  ['sync_full', 'replica_resyncs_full'],
  ['sync_partial_ok', 'replica_partial_resync_accepted'],
  ['sync_partial_err', 'replica_partial_resync_denied'],
  // Cluster
  ['cluster_stats_messages_sent', 'cluster_messages_sent_total'],
  ['cluster_stats_messages_received', 'cluster_messages_received_total'],
  // Tile38 (SERVER EXT fields, prefixed)
  ['tile38_aof_size', 'tile38_aof_size_bytes'],
  ['tile38_avg_point_size', 'tile38_avg_item_size_bytes'],
  ['tile38_sys_cpus', 'tile38_cpus_total'],
  ['tile38_heap_released_bytes', 'tile38_heap_released_bytes'],
  ['tile38_heap_alloc_bytes', 'tile38_heap_size_bytes'],
  ['tile38_http_transport', 'tile38_http_transport'],
  ['tile38_in_memory_size', 'tile38_in_memory_size_bytes'],
  ['tile38_max_heap_size', 'tile38_max_heap_size_bytes'],
  ['tile38_alloc_bytes', 'tile38_mem_alloc_bytes'],
  ['tile38_num_collections', 'tile38_num_collections_total'],
  ['tile38_num_hooks', 'tile38_num_hooks_total'],
  ['tile38_num_objects', 'tile38_num_objects_total'],
  ['tile38_num_points', 'tile38_num_points_total'],
  ['tile38_pointer_size', 'tile38_pointer_size_bytes'],
  ['tile38_read_only', 'tile38_read_only'],
  ['tile38_go_threads', 'tile38_threads_total'],
  ['tile38_go_goroutines', 'tile38_go_goroutines_total'],
  ['tile38_last_gc_time_seconds', 'tile38_last_gc_time_seconds'],
  ['tile38_next_gc_bytes', 'tile38_next_gc_bytes'],
  // KeyDB
  ['server_threads', 'server_threads_total'],
  ['long_lock_waits', 'long_lock_waits_total'],
  ['current_client_thread', 'current_client_thread'],
  // Modules (INFO MODULES / module sections): RediSearch, Valkey bloom/json/search
  ['search_number_of_indexes', 'search_number_of_indexes'],
  ['search_used_memory_indexes', 'search_used_memory_indexes_bytes'],
  ['search_dialect_1', 'search_dialect_1'],
  ['search_dialect_2', 'search_dialect_2'],
  ['search_dialect_3', 'search_dialect_3'],
  ['search_dialect_4', 'search_dialect_4'],
  ['search_global_idle', 'search_global_idle'],
  ['search_global_total', 'search_global_total'],
  ['search_bytes_collected', 'search_collected_bytes'],
  ['search_number_of_active_indexes', 'search_number_of_active_indexes'],
  ['search_number_of_active_indexes_running_queries', 'search_number_of_active_indexes_running_queries'],
  ['search_number_of_active_indexes_indexing', 'search_number_of_active_indexes_indexing'],
  ['search_total_active_write_threads', 'search_total_active_write_threads'],
  ['search_total_num_docs_in_indexes', 'search_total_num_docs_in_indexes'],
  ['search_smallest_memory_index', 'search_smallest_memory_index_bytes'],
  ['search_largest_memory_index', 'search_largest_memory_index_bytes'],
  ['search_used_memory_vector_index', 'search_used_memory_vector_index_bytes'],
  ['search_global_idle_user', 'search_global_idle_user'],
  ['search_global_idle_internal', 'search_global_idle_internal'],
  ['search_global_total_user', 'search_global_total_user'],
  ['search_global_total_internal', 'search_global_total_internal'],
  ['search_gc_bytes_collected', 'search_gc_collected_bytes'],
  ['search_gc_total_docs_not_collected', 'search_gc_total_docs_not_collected'],
  ['search_gc_marked_deleted_vectors', 'search_gc_marked_deleted_vectors'],
  ['search_errors_indexing_failures', 'search_errors_indexing_failures'],
  ['bf_bloom_total_memory_bytes', 'bf_bloom_total_memory_bytes'],
  ['bf_bloom_num_objects', 'bf_bloom_num_objects'],
  ['bf_bloom_num_filters_across_objects', 'bf_bloom_num_filters_across_objects'],
  ['bf_bloom_num_items_across_objects', 'bf_bloom_num_items_across_objects'],
  ['bf_bloom_capacity_across_objects', 'bf_bloom_capacity_across_objects'],
  ['json_total_memory_bytes', 'json_total_memory_bytes'],
  ['json_num_documents', 'json_num_documents'],
  ['search_used_memory_bytes', 'search_used_memory_bytes'],
  ['search_number_of_attributes', 'search_number_of_attributes'],
  ['search_total_indexed_documents', 'search_total_indexed_documents'],
  ['search_query_queue_size', 'search_query_queue_size'],
  ['search_writer_queue_size', 'search_writer_queue_size'],
  ['search_string_interning_store_size', 'search_string_interning_store_size'],
  ['search_vector_externing_hash_extern_errors', 'search_vector_externing_hash_extern_errors'],
  ['search_vector_externing_num_lru_entries', 'search_vector_externing_num_lru_entries'],
];

/** INFO fields exported as counters: [field, name]. */
const COUNTERS: Array<[string, string]> = [
  // Stats
  ['total_connections_received', 'connections_received_total'],
  ['total_commands_processed', 'commands_processed_total'],
  ['rejected_connections', 'rejected_connections_total'],
  ['total_net_input_bytes', 'net_input_bytes_total'],
  ['total_net_output_bytes', 'net_output_bytes_total'],
  ['total_net_repl_input_bytes', 'net_repl_input_bytes_total'],
  ['total_net_repl_output_bytes', 'net_repl_output_bytes_total'],
  ['expired_subkeys', 'expired_subkeys_total'],
  ['expired_keys', 'expired_keys_total'],
  ['expired_time_cap_reached_count', 'expired_time_cap_reached_total'],
  ['expire_cycle_cpu_milliseconds', 'expire_cycle_cpu_time_ms_total'],
  ['evicted_keys', 'evicted_keys_total'],
  ['evicted_clients', 'evicted_clients_total'],
  ['evicted_scripts', 'evicted_scripts_total'],
  ['total_eviction_exceeded_time', 'eviction_exceeded_time_ms_total'],
  ['keyspace_hits', 'keyspace_hits_total'],
  ['keyspace_misses', 'keyspace_misses_total'],
  ['eventloop_cycles', 'eventloop_cycles_total'],
  ['eventloop_duration_sum', 'eventloop_duration_sum_usec_total'],
  ['eventloop_duration_cmd_sum', 'eventloop_duration_cmd_sum_usec_total'],
  // CPU
  ['used_cpu_sys', 'cpu_sys_seconds_total'],
  ['used_cpu_user', 'cpu_user_seconds_total'],
  ['used_cpu_sys_children', 'cpu_sys_children_seconds_total'],
  ['used_cpu_user_children', 'cpu_user_children_seconds_total'],
  ['used_cpu_sys_main_thread', 'cpu_sys_main_thread_seconds_total'],
  ['used_cpu_user_main_thread', 'cpu_user_main_thread_seconds_total'],
  // Stats: errors, I/O threads, client buffers, ACL
  ['unexpected_error_replies', 'unexpected_error_replies'],
  ['total_error_replies', 'total_error_replies'],
  ['dump_payload_sanitizations', 'dump_payload_sanitizations'],
  ['total_reads_processed', 'total_reads_processed'],
  ['total_writes_processed', 'total_writes_processed'],
  ['io_threaded_reads_processed', 'io_threaded_reads_processed'],
  ['io_threaded_writes_processed', 'io_threaded_writes_processed'],
  ['client_query_buffer_limit_disconnections', 'client_query_buffer_limit_disconnections_total'],
  ['client_output_buffer_limit_disconnections', 'client_output_buffer_limit_disconnections_total'],
  ['reply_buffer_shrinks', 'reply_buffer_shrinks_total'],
  ['reply_buffer_expands', 'reply_buffer_expands_total'],
  ['acl_access_denied_auth', 'acl_access_denied_auth_total'],
  ['acl_access_denied_cmd', 'acl_access_denied_cmd_total'],
  ['acl_access_denied_key', 'acl_access_denied_key_total'],
  ['acl_access_denied_channel', 'acl_access_denied_channel_total'],
  // KeyDB
  ['cached_keys', 'cached_keys_total'],
  ['storage_provider_read_hits', 'storage_provider_read_hits'],
  ['storage_provider_read_misses', 'storage_provider_read_misses'],
  // Modules
  ['search_total_indexing_time', 'search_indexing_time_ms_total'],
  ['search_total_cycles', 'search_cycles_total'],
  ['search_total_ms_run', 'search_run_ms_total'],
  ['search_gc_total_cycles', 'search_gc_cycles_total'],
  ['search_gc_total_ms_run', 'search_gc_run_ms_total'],
  ['search_total_queries_processed', 'search_queries_processed_total'],
  ['search_total_query_commands', 'search_query_commands_total'],
  ['search_total_query_execution_time_ms', 'search_query_execution_time_ms_total'],
  ['search_total_active_queries', 'search_active_queries_total'],
  ['bf_bloom_defrag_hits', 'bf_bloom_defrag_hits_total'],
  ['bf_bloom_defrag_misses', 'bf_bloom_defrag_misses_total'],
  ['search_worker_pool_suspend_cnt', 'search_worker_pool_suspend_count'],
  ['search_writer_resumed_cnt', 'search_writer_resumed_count'],
  ['search_reader_resumed_cnt', 'search_reader_resumed_count'],
  ['search_writer_suspension_expired_cnt', 'search_writer_suspension_expired_count'],
  ['search_rdb_load_success_cnt', 'search_rdb_load_success_count'],
  ['search_rdb_load_failure_cnt', 'search_rdb_load_failure_count'],
  ['search_rdb_save_success_cnt', 'search_rdb_save_success_count'],
  ['search_rdb_save_failure_cnt', 'search_rdb_save_failure_count'],
  ['search_successful_requests_count', 'search_successful_requests_count'],
  ['search_failure_requests_count', 'search_failure_requests_count'],
  ['search_hybrid_requests_count', 'search_hybrid_requests_count'],
  ['search_inline_filtering_requests_count', 'search_inline_filtering_requests_count'],
  ['search_hnsw_add_exceptions_count', 'search_hnsw_add_exceptions_count'],
  ['search_hnsw_remove_exceptions_count', 'search_hnsw_remove_exceptions_count'],
  ['search_hnsw_modify_exceptions_count', 'search_hnsw_modify_exceptions_count'],
  ['search_hnsw_search_exceptions_count', 'search_hnsw_search_exceptions_count'],
  ['search_hnsw_create_exceptions_count', 'search_hnsw_create_exceptions_count'],
  ['search_vector_externing_entry_count', 'search_vector_externing_entry_count'],
  ['search_vector_externing_generated_value_cnt', 'search_vector_externing_generated_value_count'],
  ['search_vector_externing_lru_promote_cnt', 'search_vector_externing_lru_promote_count'],
  ['search_vector_externing_deferred_entry_cnt', 'search_vector_externing_deferred_entry_count'],
  ['used_active_time_main_thread', 'active_time_main_thread_seconds_total'],
];

/** Fields whose unit changes on the way out. */
const TRANSFORMS: Record<string, Transform> = {
  latest_fork_usec: 'secondsFromUsec',
};

/** field → metric, built once from the two tables. */
export const INFO_METRICS: ReadonlyMap<string, InfoMetric> = new Map(
  [...GAUGES.map(([f, n]) => [f, n, 'gauge'] as const), ...COUNTERS.map(([f, n]) => [f, n, 'counter'] as const)].map(([field, name, type]) => [
    field,
    { field, name, type, transform: TRANSFORMS[field] ?? 'plain' },
  ]),
);

/** Opt-in (`--include-system-metrics`): the host's memory, as INFO reports it. */
export const SYSTEM_METRICS: ReadonlyMap<string, InfoMetric> = new Map([
  ['total_system_memory', { field: 'total_system_memory', name: 'total_system_memory_bytes', type: 'gauge', transform: 'plain' }],
]);

/** INFO values that are words: ok/true → 1, err/fail/false → 0, else a number or nothing. */
const WORDS: Record<string, number> = { ok: 1, true: 1, err: 0, fail: 0, false: 0 };

export function infoValue(raw: string, transform: Transform = 'plain'): number | null {
  // Most values are numbers: try that first; blank text is no value (Number would read 0).
  let x = Number(raw);
  if (Number.isNaN(x)) x = WORDS[raw.toLowerCase()] ?? NaN;
  else if (x === 0 && raw.trim() === '') return null;
  if (!Number.isFinite(x)) return null;
  if (transform === 'secondsFromUsec') return x / 1e6;
  if (transform === 'secondsFromMs') return x / 1e3;
  return x;
}

/** A labelled family: its name (without namespace), type, help and label names. */
export interface FamilyDef {
  name: string;
  type: MetricType;
  help: string;
  labels: readonly string[];
}

const fam = (name: string, type: MetricType, help: string, labels: readonly string[] = []): FamilyDef => ({ name, type, help, labels });

/** Every non-INFO-table family redis_exporter exports (the ones this exporter reproduces). */
export const FAMILIES = {
  // self metrics
  up: fam('up', 'gauge', '1 when the last scrape reached the target and read INFO, else 0'),
  scrapesTotal: fam('exporter_scrapes_total', 'counter', 'Scrapes of this target since the exporter started'),
  scrapeDuration: fam('exporter_scrape_duration_seconds', 'summary', 'Time spent per scrape of this target'),
  lastScrapeDuration: fam('exporter_last_scrape_duration_seconds', 'gauge', 'Wall time of the latest scrape of this target'),
  lastScrapeError: fam('exporter_last_scrape_error', 'gauge', '1 with the error text when the latest scrape failed, else 0 with err=""', ['err']),
  lastConnectTime: fam('exporter_last_scrape_connect_time_seconds', 'gauge', 'Time taken to get a ready connection to the target'),
  requestErrors: fam('target_scrape_request_errors_total', 'counter', 'Requests to /scrape the exporter refused (no, unknown or forbidden target)'),
  buildInfo: fam('exporter_build_info', 'gauge', 'Which redscope build serves these metrics (always 1)', ['version', 'commit_sha', 'build_date', 'golang_version']),
  // INFO: server, keyspace, commands
  instanceInfo: fam('instance_info', 'gauge', 'Identity of the target: version, mode, role, ids (always 1)', [
    'role',
    'redis_version',
    'redis_build_id',
    'redis_mode',
    'os',
    'maxmemory_policy',
    'tcp_port',
    'run_id',
    'process_id',
    'master_replid',
  ]),
  startTime: fam('start_time_seconds', 'gauge', 'When the server process started, unix seconds (now minus uptime)'),
  hz: fam('hz', 'gauge', 'hz metric'),
  configuredHz: fam('configured_hz', 'gauge', 'configured_hz metric'),
  dbKeys: fam('db_keys', 'gauge', 'Keys per logical database', ['db']),
  dbKeysExpiring: fam('db_keys_expiring', 'gauge', 'Keys with a TTL per logical database', ['db']),
  dbAvgTtl: fam('db_avg_ttl_seconds', 'gauge', 'Average TTL of keys with a TTL, seconds, per database', ['db']),
  dbKeysCached: fam('db_keys_cached', 'gauge', 'Keys cached in memory per database (KeyDB FLASH)', ['db']),
  dbKeysWithExpiringItems: fam('db_keys_with_expiring_items', 'gauge', 'Keys holding fields with their own TTL, by DB', ['db']),
  commandsTotal: fam('commands_total', 'counter', 'Calls per command (INFO commandstats)', ['cmd']),
  commandsDuration: fam('commands_duration_seconds_total', 'counter', 'Seconds spent executing each command (INFO commandstats usec)', ['cmd']),
  commandsRejected: fam('commands_rejected_calls_total', 'counter', 'Calls refused before execution, per command', ['cmd']),
  commandsFailed: fam('commands_failed_calls_total', 'counter', 'Calls that failed during execution, per command', ['cmd']),
  errorsTotal: fam('errors_total', 'counter', 'Error replies per error prefix (INFO errorstats)', ['err']),
  latencyPercentiles: fam('latency_percentiles_usec', 'summary', 'Per-command latency percentiles from INFO latencystats, microseconds', ['cmd']),
  ioThreadActiveTime: fam('active_time_io_thread_seconds_total', 'counter', 'Active time of each I/O thread', ['thread']),
  // replication
  masterLinkUp: fam('master_link_up', 'gauge', '1 while this replica\'s link to its master is up', ['master_host', 'master_port']),
  masterLastIo: fam('master_last_io_seconds_ago', 'gauge', 'Seconds since this replica last heard from its master', ['master_host', 'master_port']),
  masterSyncInProgress: fam('master_sync_in_progress', 'gauge', '1 while this replica is syncing from its master', ['master_host', 'master_port']),
  slaveReplOffset: fam('slave_repl_offset', 'gauge', 'Replication offset this replica has processed', ['master_host', 'master_port']),
  slaveInfo: fam('slave_info', 'gauge', 'This instance is a replica of master_host:master_port (always 1)', ['master_host', 'master_port', 'read_only']),
  connectedSlaveOffset: fam('connected_slave_offset_bytes', 'gauge', 'Replication offset acknowledged by each connected replica', ['slave_ip', 'slave_port', 'slave_state']),
  connectedSlaveLag: fam('connected_slave_lag_seconds', 'gauge', 'Seconds since each connected replica last acknowledged', ['slave_ip', 'slave_port', 'slave_state']),
  // CONFIG GET
  configMaxmemory: fam('config_maxmemory', 'gauge', 'config_maxmemory metric'),
  configMaxclients: fam('config_maxclients', 'gauge', 'config_maxclients metric'),
  configIoThreads: fam('config_io_threads', 'gauge', 'config_io_threads metric'),
  configReplBacklogSize: fam('config_repl_backlog_size', 'gauge', 'config_repl_backlog_size metric'),
  configOutputBufferBytes: fam('config_client_output_buffer_limit_bytes', 'gauge', 'client-output-buffer-limit hard and soft limits in bytes, per client class', ['class', 'limit']),
  configOutputBufferSeconds: fam('config_client_output_buffer_limit_overcome_seconds', 'gauge', 'client-output-buffer-limit soft-limit seconds, per client class', [
    'class',
    'limit',
  ]),
  configKeyValue: fam('config_key_value', 'gauge', 'Every CONFIG parameter with its value as a label (always 1)', ['key', 'value']),
  configValue: fam('config_value', 'gauge', 'Every numeric CONFIG parameter as a value', ['key']),
  // SLOWLOG, LATENCY
  slowlogLength: fam('slowlog_length', 'gauge', 'Entries currently in the slow log (SLOWLOG LEN)'),
  slowlogLastId: fam('slowlog_last_id', 'gauge', 'Id of the newest slow log entry'),
  lastSlowExecution: fam('last_slow_execution_duration_seconds', 'gauge', 'Duration of the newest slow log entry, seconds'),
  latencySpikeLast: fam('latency_spike_last', 'gauge', 'Unix time of the latest spike per latency monitor event', ['event_name']),
  latencySpikeDuration: fam('latency_spike_duration_seconds', 'gauge', 'Duration of the latest spike per latency monitor event, seconds', ['event_name']),
  commandsLatencies: fam('commands_latencies_usec', 'histogram', 'Per-command latency histogram from LATENCY HISTOGRAM, microseconds', ['cmd']),
  // key checks and groups
  keySize: fam('key_size', 'gauge', 'Length of a checked key (elements, or bytes for strings)', ['db', 'key']),
  keyValue: fam('key_value', 'gauge', 'Numeric value of a checked string key', ['db', 'key']),
  keyMemory: fam('key_memory_usage_bytes', 'gauge', 'MEMORY USAGE of a checked key, bytes', ['db', 'key']),
  keysCount: fam('keys_count', 'gauge', 'Keys matching a --count-keys pattern', ['db', 'key']),
  lastKeyGroupsDuration: fam('last_key_groups_scrape_duration_milliseconds', 'gauge', 'Duration of the latest background key scan, milliseconds'),
} as const satisfies Record<string, FamilyDef>;

/** redscope's own families: always under `redscope_`, whatever --namespace says. */
export const REDSCOPE_FAMILIES = {
  finding: fam('finding', 'gauge', 'A finding of redscope analyze on this target (1 while it holds)', ['id', 'severity']),
  fragmentationVerdict: fam('fragmentation_verdict', 'gauge', 'Memory fragmentation verdict of redscope (1 for the current verdict)', ['verdict']),
  slowlogGroupEntries: fam('slowlog_group_entries', 'gauge', 'Entries in the server slow log per command shape (top groups only)', ['command', 'pattern']),
  slowlogGroupSeconds: fam('slowlog_group_duration_seconds', 'gauge', 'Total duration of slow log entries per command shape (top groups only)', ['command', 'pattern']),
  slowlogGroupMaxSeconds: fam('slowlog_group_max_duration_seconds', 'gauge', 'Slowest slow log entry per command shape (top groups only)', ['command', 'pattern']),
  slowlogOtherEntries: fam('slowlog_other_entries', 'gauge', 'Slow log entries outside the exported top groups'),
  keyGroupKeys: fam('key_group_keys', 'gauge', 'Keys under a key-name prefix (background scan, served from cache)', ['db', 'prefix']),
  keyGroupMemory: fam('key_group_memory_bytes', 'gauge', 'MEMORY USAGE summed over keys under a key-name prefix (background scan)', ['db', 'prefix']),
  keyGroupNoTtl: fam('key_group_keys_without_ttl', 'gauge', 'Keys without a TTL under a key-name prefix (background scan)', ['db', 'prefix']),
  keyScanAge: fam('key_scan_age_seconds', 'gauge', 'Age of the cached background key scan'),
  keyScanKeys: fam('key_scan_scanned_keys', 'gauge', 'Keys the last background key scan visited'),
  keyScanDuration: fam('key_scan_duration_seconds', 'gauge', 'Duration of the last background key scan'),
  keyScanError: fam('key_scan_error', 'gauge', 'The last background key scan failed (1) with this error', ['err']),
  capability: fam('capability', 'gauge', 'What the target lets redscope read (1 available, 0 switched off)', ['capability']),
} as const satisfies Record<string, FamilyDef>;
