-- django-oauth-toolkit's token check: POST /o/introspect/ (Basic client auth, TOKEN).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic " .. os.getenv("BASIC")
wrk.body = "token=" .. os.getenv("TOKEN")
function response(status, headers, body)
  if status == 200 and body:find('"active": true', 1, true) then ok = ok + 1 else failures = failures + 1 end
end
