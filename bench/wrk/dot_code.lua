-- The same code flow on django-oauth-toolkit: GET /o/authorize/ with the
-- logged-in Django session cookie (consent skipped) answers 302 with a code,
-- which the next request trades at POST /o/token/ (Basic secret + PKCE).
dofile(os.getenv("BENCH_WRK_DIR") .. "/report.lua")
local codes = {}
local redirect = "http%3A%2F%2F127.0.0.1%3A9999%2Fcallback"
local authorize_path = "/o/authorize/?response_type=code&client_id=confclient0000001&redirect_uri=" .. redirect ..
  "&scope=openid+profile&state=bench&code_challenge_method=S256&code_challenge=" .. os.getenv("CHALLENGE")
local authorize_headers = { ["Cookie"] = os.getenv("COOKIE") }
local token_headers = {
  ["Content-Type"] = "application/x-www-form-urlencoded", ["Authorization"] = "Basic " .. os.getenv("BASIC"),
}
-- Concatenated, not formatted: the encoded redirect URI is full of "%".
local token_prefix = "grant_type=authorization_code&redirect_uri=" .. redirect .. "&code_verifier=" ..
  os.getenv("VERIFIER") .. "&code="

function request()
  local code = table.remove(codes)
  if code then
    return wrk.format("POST", "/o/token/", token_headers, token_prefix .. code)
  end
  return wrk.format("GET", authorize_path, authorize_headers)
end

function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  local code = status == 302 and location:match("[?&]code=([%w%-_]+)")
  if code then
    table.insert(codes, code)
    ok = ok + 1
  elseif status == 200 and body:find('"id_token"', 1, true) then
    ok = ok + 1
    flows = flows + 1
  else
    failures = failures + 1
  end
end
