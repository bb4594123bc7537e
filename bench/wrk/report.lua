-- Shared by the bench scripts: per-thread counters and one JSON line at the end.
threads = {}
ok, failures, flows = 0, 0, 0

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total_ok, total_failures, total_flows = 0, 0, 0
  for _, thread in ipairs(threads) do
    total_ok = total_ok + (thread:get("ok") or 0)
    total_failures = total_failures + (thread:get("failures") or 0)
    total_flows = total_flows + (thread:get("flows") or 0)
  end
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRK_JSON {"requests": %d, "seconds": %.3f, "ok": %d, "failures": %d, "socket_errors": %d, "flows": %d, ' ..
    '"p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f}\n',
    summary.requests, seconds, total_ok, total_failures,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, total_flows,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
