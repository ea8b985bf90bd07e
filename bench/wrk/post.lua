-- wrk script: POST a JSON body read from the file named by WRK_BODY, with the headers named by
-- WRK_HEADERS ("Name: value" pairs separated by "|"). Used by bench/run.sh for F1.
local body_file = os.getenv("WRK_BODY")
local f = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
local headers = os.getenv("WRK_HEADERS") or ""
for pair in string.gmatch(headers, "[^|]+") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.-)%s*$")
  if name then wrk.headers[name] = value end
end
