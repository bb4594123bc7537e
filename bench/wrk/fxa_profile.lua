-- GET /v1/profile with one live access token (TOKEN): token + profile read, scope filtering, ETag.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
function response(status, headers, body)
  if status == 200 and body:find('"uid"', 1, true) then ok = ok + 1 else failures = failures + 1 end
end
