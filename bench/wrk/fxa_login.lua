-- POST /v1/account/login with one account's email and authPW (EMAIL, AUTHPW):
-- a password check (scrypt) and a new session token per request.
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"' .. os.getenv("EMAIL") .. '","authPW":"' .. os.getenv("AUTHPW") .. '"}'
function response(status, headers, body)
  if status == 200 and body:find('"sessionToken"', 1, true) then ok = ok + 1 else failures = failures + 1 end
end
