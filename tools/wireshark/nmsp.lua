-- Wireshark dissector for OpenNMSP, written from docs/protocol.md alone (version 1).
--
--   tshark -X lua_script:tools/wireshark/nmsp.lua -r capture.pcapng -V
--   wireshark -X lua_script:tools/wireshark/nmsp.lua        (or copy it to ~/.local/lib/wireshark/plugins/)
--
-- Plain TCP on port 16113 (preference "nmsp.tcp_port"; other ports with -d tcp.port==N,nmsp).
-- The real tunnel is TLS: a TCP stream on that port whose first bytes are a TLS record goes to
-- the TLS dissector, and decrypted application data on TLS port 16113 comes back here (tls.port
-- table), so a capture decrypted with a key log (-o tls.keylog_file:FILE) decodes the same way.
--
-- Field names: "nmsp." + the spec's name with '-' written '_' (nmsp.peer_name, nmsp.clock_utc_ms,
-- nmsp.ap_rssi.rssi_dbm); the tree shows the spec's names. Problems are expert infos named after
-- the spec's error codes (section 5); unknown message ids and attributes are notes, not errors.

local nmsp = Proto("nmsp", "OpenNMSP (Network Mobility Services Protocol)")

nmsp.prefs.tcp_port = Pref.uint("TCP port", 16113, "Port of plain (unencrypted) NMSP and of the TLS tunnel")
nmsp.prefs.max_frame_size = Pref.uint("Maximum frame size", 65536, "Header + payload, section 4")
nmsp.prefs.max_depth = Pref.uint("Maximum nesting depth", 4, "Section 3")

local HEADER_LEN = 12

-- Section 7: enumerations.
local ENUMS = {
  PeerRole = { [1] = "controller", [2] = "mse" },
  ResultCode = {
    [0] = "success", [1] = "unsupported-version", [2] = "unsupported-service", [3] = "invalid-request",
    [4] = "not-authorized", [5] = "resource-exhausted", [6] = "clock-skew", [7] = "unknown-device",
    [8] = "internal-error",
  },
  ErrorReason = {
    [1] = "unsupported-message", [2] = "malformed-frame", [3] = "unexpected-message",
    [4] = "version-mismatch", [5] = "clock-skew", [6] = "frame-too-large", [7] = "rate-limited",
    [8] = "shutdown",
  },
  DeviceKind = { [1] = "client", [2] = "rfid-tag", [3] = "rogue-ap", [4] = "rogue-client", [5] = "interferer", [6] = "ap" },
  Band = { [1] = "2.4 GHz", [2] = "5 GHz", [3] = "6 GHz" },
  AssocState = { [1] = "probing", [2] = "associated", [3] = "authenticated", [4] = "disassociated" },
  AttachState = { [1] = "attach", [2] = "detach" },
  TelemetryKind = { [1] = "temperature", [2] = "humidity", [3] = "pressure", [4] = "motion count" },
  -- Section 8: bit i of a service mask is Service i.
  Service = {
    [0] = "rssi-ms", [1] = "rssi-rfid", [2] = "rssi-rogue", [3] = "rssi-interferer", [4] = "rssi-hs",
    [5] = "rssi-ms-associated-only", [6] = "spectrum-interferer", [7] = "spectrum-air-quality",
    [8] = "spectrum-aggregate-interferer", [9] = "info-ms", [10] = "info-rfid", [11] = "info-rogue",
    [12] = "info-hs", [13] = "stats-ms", [14] = "stats-rfid", [15] = "stats-rogue", [16] = "attach",
    [17] = "location", [18] = "fmchs", [19] = "ap-monitor", [20] = "wips", [21] = "on-demand",
    [22] = "ap-info",
  },
}

-- Section 6: attributes. kind: how the value is read; len: fixed length, or min..max.
local ATTRS = {
  [0x0001] = { name = "min-version", kind = "u8" },
  [0x0002] = { name = "max-version", kind = "u8" },
  [0x0003] = { name = "peer-role", kind = "u8", enum = "PeerRole" },
  [0x0004] = { name = "peer-name", kind = "utf8", min = 1, max = 255 },
  [0x0005] = { name = "software-version", kind = "utf8", min = 0, max = 255 },
  [0x0006] = { name = "clock-utc-ms", kind = "time" },
  [0x0007] = { name = "result-code", kind = "u16", enum = "ResultCode" },
  [0x0008] = { name = "selected-version", kind = "u8" },
  [0x0009] = { name = "service-mask", kind = "mask" },
  [0x000A] = { name = "error-reason", kind = "u16", enum = "ErrorReason" },
  [0x000B] = { name = "offending-message-id", kind = "msgid" },
  [0x000C] = { name = "error-text", kind = "utf8", min = 0, max = 1024 },
  [0x000D] = { name = "echoed-clock-utc-ms", kind = "time" },
  [0x0010] = { name = "device-mac", kind = "mac" },
  [0x0011] = { name = "device-kind", kind = "u8", enum = "DeviceKind" },
  [0x0012] = { name = "ap-rssi-list", kind = "aplist" },
  [0x0013] = { name = "ip-address", kind = "ip" },
  [0x0014] = { name = "ssid", kind = "utf8", min = 0, max = 32 },
  [0x0015] = { name = "vlan-id", kind = "u16", lo = 0, hi = 4094 },
  [0x0016] = { name = "username", kind = "utf8", min = 0, max = 255 },
  [0x0017] = { name = "assoc-state", kind = "u8", enum = "AssocState" },
  [0x0018] = { name = "band", kind = "u8", enum = "Band" },
  [0x0019] = { name = "serving-ap-mac", kind = "mac" },
  [0x001A] = { name = "battery-pct", kind = "u8", lo = 0, hi = 100 },
  [0x001B] = { name = "telemetry", kind = "telemetry" },
  [0x0020] = { name = "tx-bytes", kind = "u64" },
  [0x0021] = { name = "rx-bytes", kind = "u64" },
  [0x0022] = { name = "tx-packets", kind = "u64" },
  [0x0023] = { name = "rx-packets", kind = "u64" },
  [0x0024] = { name = "tx-retries", kind = "u64" },
  [0x0025] = { name = "tx-failed", kind = "u64" },
  [0x0026] = { name = "timestamp-utc-ms", kind = "time" },
  [0x0028] = { name = "ap-mac", kind = "mac" },
  [0x0029] = { name = "ap-name", kind = "utf8", min = 1, max = 255 },
  [0x002A] = { name = "radio-slot", kind = "u8" },
  [0x002B] = { name = "channel", kind = "u8" },
  [0x002C] = { name = "tx-power-dbm", kind = "i8" },
  [0x0030] = { name = "attach-state", kind = "u8", enum = "AttachState" },
  [0x0034] = { name = "map-name", kind = "utf8", min = 0, max = 255 },
  [0x0035] = { name = "position-mm", kind = "position" },
  [0x0036] = { name = "error-radius-mm", kind = "u32" },
  [0x0037] = { name = "geo-position", kind = "geo" },
  [0x0040] = { name = "service", kind = "u8", enum = "Service" },
  [0x0041] = { name = "interval-s", kind = "u16", lo = 1, hi = 180 },
  [0x0042] = { name = "ap-group", kind = "utf8", min = 1, max = 255 },
  -- Containers (bit 15): attributes with cardinality, in canonical order.
  [0x8001] = { name = "device-measurement", kind = "container",
               attrs = { { 0x0010, "1" }, { 0x0011, "1" }, { 0x0012, "1" } } },
  [0x8002] = { name = "device-info", kind = "container",
               attrs = { { 0x0010, "1" }, { 0x0011, "1" }, { 0x0013, "*" }, { 0x0014, "?" }, { 0x0015, "?" },
                         { 0x0016, "?" }, { 0x0017, "?" }, { 0x0018, "?" }, { 0x0019, "?" }, { 0x001A, "?" },
                         { 0x001B, "*" } } },
  [0x8003] = { name = "device-statistics", kind = "container",
               attrs = { { 0x0010, "1" }, { 0x0011, "1" }, { 0x0020, "?" }, { 0x0021, "?" }, { 0x0022, "?" },
                         { 0x0023, "?" }, { 0x0024, "?" }, { 0x0025, "?" }, { 0x0026, "?" } } },
  [0x8004] = { name = "ap-info", kind = "container",
               attrs = { { 0x0028, "1" }, { 0x0029, "1" }, { 0x0013, "?" }, { 0x8005, "*" } } },
  [0x8005] = { name = "ap-radio", kind = "container",
               attrs = { { 0x002A, "1" }, { 0x0018, "1" }, { 0x002B, "1" }, { 0x002C, "1" } } },
  [0x8006] = { name = "attachment", kind = "container",
               attrs = { { 0x0010, "1" }, { 0x0030, "1" }, { 0x0028, "?" }, { 0x0013, "?" }, { 0x0014, "?" },
                         { 0x0026, "1" } } },
  [0x8007] = { name = "device-location", kind = "container",
               attrs = { { 0x0010, "1" }, { 0x0011, "1" }, { 0x0034, "1" }, { 0x0035, "1" }, { 0x0036, "?" },
                         { 0x0037, "?" }, { 0x0026, "1" } } },
  [0x8008] = { name = "service-interval", kind = "container", attrs = { { 0x0040, "1" }, { 0x0041, "1" } } },
  [0x8009] = { name = "service-result", kind = "container", attrs = { { 0x0040, "1" }, { 0x0007, "1" } } },
}

local FIXED_LEN = { u8 = 1, i8 = 1, u16 = 2, msgid = 2, u32 = 4, u64 = 8, time = 8, mask = 8, mac = 6,
                    telemetry = 10, position = 12, geo = 8 }

-- Section 9: messages, direction and attributes in canonical order.
local MESSAGES = {
  [0x0001] = { name = "init-request", dir = "M -> C",
               attrs = { { 0x0001, "1" }, { 0x0002, "1" }, { 0x0003, "1" }, { 0x0004, "1" }, { 0x0005, "1" }, { 0x0006, "1" } } },
  [0x0002] = { name = "init-response", dir = "C -> M",
               attrs = { { 0x0007, "1" }, { 0x0008, "1" }, { 0x0003, "1" }, { 0x0004, "1" }, { 0x0005, "1" }, { 0x0006, "1" } } },
  [0x0003] = { name = "echo-request", dir = "M -> C", attrs = { { 0x0006, "?" } } },
  [0x0004] = { name = "echo-response", dir = "C -> M", attrs = { { 0x0006, "?" }, { 0x000D, "?" } } },
  [0x0005] = { name = "error", dir = "both", attrs = { { 0x000A, "1" }, { 0x000B, "1" }, { 0x000C, "?" } } },
  [0x0010] = { name = "capability-notification", dir = "C -> M", attrs = { { 0x0009, "1" } } },
  [0x0011] = { name = "service-subscribe-request", dir = "M -> C",
               attrs = { { 0x0009, "1" }, { 0x8008, "*" }, { 0x0042, "*" } } },
  [0x0012] = { name = "service-subscribe-response", dir = "C -> M", attrs = { { 0x0009, "1" }, { 0x8009, "*" } } },
  [0x0013] = { name = "service-unsubscribe-request", dir = "M -> C", attrs = { { 0x0009, "1" } } },
  [0x0014] = { name = "service-unsubscribe-response", dir = "C -> M", attrs = { { 0x0009, "1" }, { 0x8009, "*" } } },
  [0x0020] = { name = "measurement-request", dir = "M -> C", attrs = { { 0x0010, "*" } } },
  [0x0021] = { name = "measurement-response", dir = "C -> M", attrs = { { 0x0007, "1" }, { 0x8001, "*" } } },
  [0x0022] = { name = "measurement-notification", dir = "C -> M", attrs = { { 0x8001, "*" } } },
  [0x0030] = { name = "info-request", dir = "M -> C", attrs = { { 0x0010, "*" } } },
  [0x0031] = { name = "info-response", dir = "C -> M", attrs = { { 0x0007, "1" }, { 0x8002, "*" } } },
  [0x0032] = { name = "info-notification", dir = "C -> M", attrs = { { 0x8002, "*" } } },
  [0x0040] = { name = "statistics-request", dir = "M -> C", attrs = { { 0x0010, "*" } } },
  [0x0041] = { name = "statistics-response", dir = "C -> M", attrs = { { 0x0007, "1" }, { 0x8003, "*" } } },
  [0x0042] = { name = "statistics-notification", dir = "C -> M", attrs = { { 0x8003, "*" } } },
  [0x0050] = { name = "ap-info-notification", dir = "C -> M", attrs = { { 0x8004, "*" } } },
  [0x0051] = { name = "attachment-notification", dir = "C -> M", attrs = { { 0x8006, "*" } } },
  [0x0052] = { name = "location-notification", dir = "M -> C", attrs = { { 0x8007, "*" } } },
}

local function field_name(spec_name)
  return (spec_name:gsub("-", "_"))
end

local msg_names, attr_names = {}, {}
for id, m in pairs(MESSAGES) do msg_names[id] = m.name end
for t, a in pairs(ATTRS) do attr_names[t] = a.name end

-- Header fields (section 2).
local F = {
  version = ProtoField.uint8("nmsp.version", "version", base.DEC),
  flags = ProtoField.uint8("nmsp.flags", "flags", base.HEX),
  flag_request = ProtoField.bool("nmsp.flags.request", "REQUEST", 8, nil, 0x01),
  flag_reserved = ProtoField.uint8("nmsp.flags.reserved", "reserved", base.HEX, nil, 0xFE),
  msg_id = ProtoField.uint16("nmsp.msg_id", "message id", base.HEX, msg_names),
  message = ProtoField.string("nmsp.message", "message"),
  transaction_id = ProtoField.uint32("nmsp.transaction_id", "transaction id", base.DEC),
  payload_length = ProtoField.uint32("nmsp.payload_length", "payload length", base.DEC),
  payload = ProtoField.bytes("nmsp.payload", "payload"),
  attr_type = ProtoField.uint16("nmsp.attr.type", "type", base.HEX, attr_names),
  attr_length = ProtoField.uint16("nmsp.attr.length", "length", base.DEC),
  attr_value = ProtoField.bytes("nmsp.attr.value", "value"),
  attr_unknown = ProtoField.uint16("nmsp.attr.unknown", "unknown attribute", base.HEX),
  mask_service = ProtoField.uint8("nmsp.service_mask.service", "service", base.DEC, ENUMS.Service),
  ap_count = ProtoField.uint8("nmsp.ap_rssi_list.count", "count", base.DEC),
  ap_record = ProtoField.bytes("nmsp.ap_rssi", "AP record"),
  ap_mac = ProtoField.ether("nmsp.ap_rssi.ap_mac", "ap_mac"),
  ap_slot = ProtoField.uint8("nmsp.ap_rssi.slot", "slot", base.DEC),
  ap_band = ProtoField.uint8("nmsp.ap_rssi.band", "band", base.DEC, ENUMS.Band),
  ap_antenna = ProtoField.uint8("nmsp.ap_rssi.antenna", "antenna", base.DEC),
  ap_rssi_dbm = ProtoField.int8("nmsp.ap_rssi.rssi_dbm", "rssi_dbm", base.DEC),
  ap_snr_db = ProtoField.int8("nmsp.ap_rssi.snr_db", "snr_db", base.DEC),
  ap_reserved = ProtoField.uint8("nmsp.ap_rssi.reserved", "reserved", base.HEX),
  ap_timestamp = ProtoField.uint64("nmsp.ap_rssi.timestamp_utc_ms", "timestamp_utc_ms", base.DEC),
  telemetry_kind = ProtoField.uint16("nmsp.telemetry.kind", "kind", base.DEC, ENUMS.TelemetryKind),
  telemetry_value = ProtoField.int64("nmsp.telemetry.value", "value", base.DEC),
  pos_x = ProtoField.int32("nmsp.position_mm.x", "x", base.DEC),
  pos_y = ProtoField.int32("nmsp.position_mm.y", "y", base.DEC),
  pos_z = ProtoField.int32("nmsp.position_mm.z", "z", base.DEC),
  geo_lat = ProtoField.int32("nmsp.geo_position.latitude", "latitude", base.DEC),
  geo_lon = ProtoField.int32("nmsp.geo_position.longitude", "longitude", base.DEC),
  ip_v6 = ProtoField.ipv6("nmsp.ip_address_v6", "ip-address"),
}

-- One field per attribute, typed by its kind.
local ATTR_FIELD = {}
for t, a in pairs(ATTRS) do
  local abbr = "nmsp." .. field_name(a.name)
  local k = a.kind
  local vs = a.enum and ENUMS[a.enum] or nil
  local f
  if k == "u8" then f = ProtoField.uint8(abbr, a.name, base.DEC, vs)
  elseif k == "i8" then f = ProtoField.int8(abbr, a.name, base.DEC)
  elseif k == "u16" then f = ProtoField.uint16(abbr, a.name, base.DEC, vs)
  elseif k == "msgid" then f = ProtoField.uint16(abbr, a.name, base.HEX, msg_names)
  elseif k == "u32" then f = ProtoField.uint32(abbr, a.name, base.DEC)
  elseif k == "u64" or k == "time" then f = ProtoField.uint64(abbr, a.name, base.DEC)
  elseif k == "mask" then f = ProtoField.uint64(abbr, a.name, base.HEX)
  elseif k == "utf8" then f = ProtoField.string(abbr, a.name, base.UNICODE)
  elseif k == "mac" then f = ProtoField.ether(abbr, a.name)
  elseif k == "ip" then f = ProtoField.ipv4(abbr, a.name)
  else f = ProtoField.bytes(abbr, a.name) -- containers, ap-rssi-list, telemetry, position, geo
  end
  ATTR_FIELD[t] = f
  F["attr_" .. t] = f
end

local fields = {}
for _, f in pairs(F) do fields[#fields + 1] = f end
nmsp.fields = fields

-- Expert infos: the error codes of section 5, plus notes for what receivers skip.
local function expert_error(code, text)
  return ProtoExpert.new("nmsp." .. field_name(code), code .. ": " .. text, expert.group.MALFORMED, expert.severity.ERROR)
end
local E = {
  unsupported_version = expert_error("unsupported-version", "header version outside 1..1"),
  frame_too_large = expert_error("frame-too-large", "12 + payload length exceeds the maximum frame size"),
  attribute_overrun = expert_error("attribute-overrun", "an attribute header or value does not fit in its parent"),
  nesting_too_deep = expert_error("nesting-too-deep", "an attribute deeper than the maximum depth"),
  missing_attribute = expert_error("missing-attribute", "a mandatory attribute is absent"),
  duplicate_attribute = expert_error("duplicate-attribute", "a single-valued attribute appears twice"),
  bad_attribute_length = expert_error("bad-attribute-length", "a fixed-size value has the wrong length"),
  bad_value = expert_error("bad-value", "a value outside its range or enumeration, or invalid UTF-8"),
  count_mismatch = expert_error("count-mismatch", "the ap-rssi-list count needs more bytes than follow it"),
  too_many_items = expert_error("too-many-items", "an ap-rssi-list count above 16"),
  unknown_message = ProtoExpert.new("nmsp.unknown_message", "unknown message id (not an error: counted, payload kept)",
                                    expert.group.UNDECODED, expert.severity.NOTE),
  unknown_attribute = ProtoExpert.new("nmsp.unknown_attribute", "attribute not defined here (not an error: skipped and counted)",
                                      expert.group.UNDECODED, expert.severity.NOTE),
  reserved_flags = ProtoExpert.new("nmsp.reserved_flags", "reserved flag bits set (ignored on receipt)",
                                   expert.group.PROTOCOL, expert.severity.NOTE),
  flag_mismatch = ProtoExpert.new("nmsp.flag_mismatch", "REQUEST flag differs from the message's definition",
                                  expert.group.PROTOCOL, expert.severity.WARN),
}
local experts = {}
for _, e in pairs(E) do experts[#experts + 1] = e end
nmsp.experts = experts

-- Codes of the errors found in the frame being dissected, for the Info column.
local frame_errors = {}
local function report(item, e, text)
  item:add_proto_expert_info(e, text)
  frame_errors[#frame_errors + 1] = text:match("^[%w-]+")
end

local function utc_text(ms)
  local n = ms:tonumber()
  local secs = math.floor(n / 1000)
  return string.format("%s.%03dZ", os.date("!%Y-%m-%dT%H:%M:%S", secs), n - secs * 1000)
end

-- Strict UTF-8 (RFC 3629): no overlong forms, surrogates, code points above U+10FFFF.
local function valid_utf8(bytes)
  local i, n = 1, #bytes
  while i <= n do
    local c = bytes:byte(i)
    local need, lo, hi = 0, 0x80, 0xBF
    if c < 0x80 then need = 0
    elseif c >= 0xC2 and c <= 0xDF then need = 1
    elseif c == 0xE0 then need, lo = 2, 0xA0
    elseif c >= 0xE1 and c <= 0xEC then need = 2
    elseif c == 0xED then need, hi = 2, 0x9F
    elseif c >= 0xEE and c <= 0xEF then need = 2
    elseif c == 0xF0 then need, lo = 3, 0x90
    elseif c >= 0xF1 and c <= 0xF3 then need = 3
    elseif c == 0xF4 then need, hi = 3, 0x8F
    else return false end
    for j = 1, need do
      local d = bytes:byte(i + j)
      if d == nil then return false end
      if j == 1 then
        if d < lo or d > hi then return false end
      elseif d < 0x80 or d > 0xBF then return false end
    end
    i = i + need + 1
  end
  return true
end

-- "3c:22:fb:10:20:30" (the summaries never use resolved vendor names).
local function mac_text(range)
  local parts = {}
  for i = 0, 5 do parts[#parts + 1] = string.format("%02x", range(i, 1):uint()) end
  return table.concat(parts, ":")
end

local function enum_text(enum, v)
  local names = ENUMS[enum]
  return names[v] and string.format("%d (%s)", v, names[v]) or string.format("%d (not a %s)", v, enum)
end

local dissect_attributes -- forward

-- ap-rssi-list: u8 count then 20-byte records (section 6).
local function dissect_ap_list(vtree, item, value, len)
  if len == 0 then
    report(item, E.bad_attribute_length, "bad-attribute-length: ap-rssi-list is empty")
    return
  end
  local count = value(0, 1):uint()
  local citem = vtree:add(F.ap_count, value(0, 1))
  if count > 16 then
    report(citem, E.too_many_items, string.format("too-many-items: count %d is above 16", count))
    return
  end
  if 1 + 20 * count > len then
    report(citem, E.count_mismatch,
      string.format("count-mismatch: count %d needs %d bytes, %d follow", count, 20 * count, len - 1))
    return
  end
  for i = 0, count - 1 do
    local r = value(1 + 20 * i, 20)
    local band = r(7, 1):uint()
    local rtree = vtree:add(F.ap_record, r)
    rtree:set_text(string.format("AP %s: slot %d, band %s, rssi %d dBm, snr %d dB", mac_text(r(0, 6)),
      r(6, 1):uint(), ENUMS.Band[band] or tostring(band), r(9, 1):int(), r(10, 1):int()))
    rtree:add(F.ap_mac, r(0, 6))
    rtree:add(F.ap_slot, r(6, 1))
    local bitem = rtree:add(F.ap_band, r(7, 1))
    if not ENUMS.Band[band] then
      report(bitem, E.bad_value, "bad-value: band " .. enum_text("Band", band))
    end
    rtree:add(F.ap_antenna, r(8, 1))
    rtree:add(F.ap_rssi_dbm, r(9, 1))
    rtree:add(F.ap_snr_db, r(10, 1))
    rtree:add(F.ap_reserved, r(11, 1))
    rtree:add(F.ap_timestamp, r(12, 8)):append_text(" (" .. utc_text(r(12, 8):uint64()) .. ")")
  end
  if 1 + 20 * count < len then
    report(item, E.bad_attribute_length,
      string.format("bad-attribute-length: %d bytes left after %d records", len - 1 - 20 * count, count))
  end
end

-- The value of a known attribute; returns a short text for its parent's summary.
local function dissect_value(tree, item, t, value, len, depth, whole)
  local a = ATTRS[t]
  local k = a.kind
  local want = FIXED_LEN[k]
  if want and len ~= want then
    report(item, E.bad_attribute_length,
      string.format("bad-attribute-length: %s needs %d bytes, has %d", a.name, want, len))
    return "?"
  end
  if k == "ip" and len ~= 4 and len ~= 16 then
    report(item, E.bad_attribute_length,
      string.format("bad-attribute-length: ip-address needs 4 or 16 bytes, has %d", len))
    return "?"
  end
  local f = ATTR_FIELD[t]
  if k == "container" then
    return dissect_attributes(tree, value, len, depth + 1, a.attrs, item)
  elseif k == "aplist" then
    dissect_ap_list(tree, item, value, len)
    return len > 0 and string.format("%d APs", value(0, 1):uint()) or "?"
  elseif k == "utf8" then
    local bytes = len > 0 and value:bytes():raw() or ""
    local s = len > 0 and value:string(ENC_UTF_8) or ""
    local vitem = tree:add(f, value or whole, s)
    if not valid_utf8(bytes) then
      report(vitem, E.bad_value, "bad-value: " .. a.name .. " is not valid UTF-8")
    elseif len < a.min or len > a.max then
      report(vitem, E.bad_value,
        string.format("bad-value: %s is %d bytes, allowed %d..%d", a.name, len, a.min, a.max))
    end
    return '"' .. s .. '"'
  elseif k == "time" then
    local v = value:uint64()
    tree:add(f, value):append_text(" (" .. utc_text(v) .. ")")
    return tostring(v)
  elseif k == "u64" then
    tree:add(f, value)
    return tostring(value:uint64())
  elseif k == "mask" then
    local v = value:uint64()
    local mitem = tree:add(f, value)
    local names = {}
    for bit = 0, 63 do
      if v:rshift(bit):band(1):tonumber() == 1 then
        if ENUMS.Service[bit] then
          names[#names + 1] = ENUMS.Service[bit]
          mitem:add(F.mask_service, value, bit):set_text(string.format("bit %d: %s", bit, ENUMS.Service[bit]))
        else
          names[#names + 1] = "reserved bit " .. bit
          mitem:add(value, string.format("bit %d: reserved (kept, never granted)", bit))
        end
      end
    end
    local text = #names > 0 and table.concat(names, ", ") or "none"
    mitem:append_text(" (" .. text .. ")")
    return text
  elseif k == "mac" then
    tree:add(f, value)
    return mac_text(value)
  elseif k == "ip" then
    if len == 4 then
      tree:add(f, value)
      return tostring(value:ipv4())
    end
    tree:add(F.ip_v6, value)
    return tostring(value:ipv6())
  elseif k == "telemetry" then
    tree:add(F.telemetry_kind, value(0, 2))
    tree:add(F.telemetry_value, value(2, 8))
    local kind = value(0, 2):uint()
    if not ENUMS.TelemetryKind[kind] then
      report(item, E.bad_value, "bad-value: telemetry kind " .. enum_text("TelemetryKind", kind))
    end
    return string.format("%s = %s", ENUMS.TelemetryKind[kind] or tostring(kind), tostring(value(2, 8):int64()))
  elseif k == "position" then
    tree:add(F.pos_x, value(0, 4))
    tree:add(F.pos_y, value(4, 4))
    tree:add(F.pos_z, value(8, 4))
    return string.format("x %d mm, y %d mm, z %d mm", value(0, 4):int(), value(4, 4):int(), value(8, 4):int())
  elseif k == "geo" then
    tree:add(F.geo_lat, value(0, 4)):append_text(string.format(" (%.7f degrees)", value(0, 4):int() / 1e7))
    tree:add(F.geo_lon, value(4, 4)):append_text(string.format(" (%.7f degrees)", value(4, 4):int() / 1e7))
    return string.format("%.7f, %.7f", value(0, 4):int() / 1e7, value(4, 4):int() / 1e7)
  end
  -- integers
  local v = value:uint()
  local vitem
  if k == "i8" then
    vitem = tree:add(f, value)
    return tostring(value:int())
  end
  vitem = tree:add(f, value)
  if a.enum and not ENUMS[a.enum][v] then
    report(vitem, E.bad_value, "bad-value: " .. a.name .. " " .. enum_text(a.enum, v))
  elseif a.lo and (v < a.lo or v > a.hi) then
    report(vitem, E.bad_value, string.format("bad-value: %s %d outside %d..%d", a.name, v, a.lo, a.hi))
  end
  if k == "msgid" then
    return string.format("0x%04x%s", v, msg_names[v] and " (" .. msg_names[v] .. ")" or "")
  end
  return a.enum and enum_text(a.enum, v) or tostring(v)
end

-- Walks a skipped container for tiling and depth only (section 3).
local function walk_skipped(tree, value, len, depth)
  if len > 0 and depth > nmsp.prefs.max_depth then
    report(tree, E.nesting_too_deep,
      string.format("nesting-too-deep: attributes at depth %d (maximum %d)", depth, nmsp.prefs.max_depth))
    return false
  end
  local off = 0
  while off < len do
    if len - off < 4 then
      local it = tree:add(value(off, len - off), "attribute header (truncated)")
      report(it, E.attribute_overrun, "attribute-overrun: fewer than 4 bytes for an attribute header")
      return false
    end
    local t, l = value(off, 2):uint(), value(off + 2, 2):uint()
    if off + 4 + l > len then
      local it = tree:add(value(off, len - off), string.format("attribute 0x%04x", t))
      report(it, E.attribute_overrun, string.format("attribute-overrun: value of %d bytes, %d left", l, len - off - 4))
      return false
    end
    if t >= 0x8000 then
      local sub = tree:add(value(off, 4 + l), string.format("container 0x%04x (%d bytes)", t, l))
      if l > 0 and not walk_skipped(sub, value(off + 4, l), l, depth + 1) then
        return false
      end
    end
    off = off + 4 + l
  end
  return true
end

-- A sequence of attributes (payload at depth 1, container values deeper). `allowed` is the
-- table of the enclosing message or container; nil for an unknown container.
-- Returns a short summary text.
dissect_attributes = function(tree, tvbr, len, depth, allowed, parent_item)
  if len > 0 and depth > nmsp.prefs.max_depth then
    report(tree, E.nesting_too_deep,
      string.format("nesting-too-deep: attributes at depth %d (maximum %d)", depth, nmsp.prefs.max_depth))
    return "?"
  end
  local card = {}
  for _, e in ipairs(allowed or {}) do card[e[1]] = e[2] end
  local seen = {}
  local summary = {}
  local off = 0
  while off < len do
    if len - off < 4 then
      local it = tree:add(tvbr(off, len - off), "attribute header (truncated)")
      report(it, E.attribute_overrun,
          string.format("attribute-overrun: %d bytes left, an attribute header needs 4", len - off))
      return "?"
    end
    local t, l = tvbr(off, 2):uint(), tvbr(off + 2, 2):uint()
    local a = ATTRS[t]
    if off + 4 + l > len then
      local it = tree:add(tvbr(off, len - off), string.format("%s (0x%04x)", a and a.name or "attribute", t))
      it:add(F.attr_type, tvbr(off, 2))
      it:add(F.attr_length, tvbr(off + 2, 2))
      report(it, E.attribute_overrun,
        string.format("attribute-overrun: length %d, only %d bytes left in its parent", l, len - off - 4))
      return "?"
    end
    local whole = tvbr(off, 4 + l)
    local value = l > 0 and tvbr(off + 4, l) or nil
    local item = tree:add(whole, a and a.name or string.format("unknown attribute 0x%04x", t))
    item:add(F.attr_type, tvbr(off, 2))
    item:add(F.attr_length, tvbr(off + 2, 2))
    local defined = card[t] ~= nil
    if not defined then
      if a then
        item:set_text(string.format("%s (0x%04x): not defined here, skipped", a.name, t))
        item:add_proto_expert_info(E.unknown_attribute,
          string.format("%s is not defined in this message or container: skipped and counted", a.name))
      else
        item:add(F.attr_unknown, tvbr(off, 2))
        item:add_proto_expert_info(E.unknown_attribute,
          string.format("unknown attribute 0x%04x: skipped and counted", t))
      end
      if value then item:add(F.attr_value, value) end
      if t >= 0x8000 and l > 0 and not walk_skipped(item, value, l, depth + 1) then
        return "?"
      end
    else
      seen[t] = (seen[t] or 0) + 1
      if seen[t] > 1 and card[t] ~= "*" then
        report(item, E.duplicate_attribute,
          string.format("duplicate-attribute: %s appears more than once", a.name))
      end
      local text = dissect_value(item, item, t, value, l, depth, whole)
      if a.kind == "container" then
        item:set_text(string.format("%s: %s", a.name, text))
      else
        item:set_text(string.format("%s: %s", a.name, text))
        if #summary < 4 then summary[#summary + 1] = a.name .. "=" .. text end
      end
    end
    off = off + 4 + l
  end
  for _, e in ipairs(allowed or {}) do
    if e[2] == "1" and not seen[e[1]] then
      local where = parent_item or tree
      report(where, E.missing_attribute,
        string.format("missing-attribute: %s", ATTRS[e[1]].name))
    end
  end
  -- Init Request: min-version <= max-version (section 9, notes).
  return table.concat(summary, ", ")
end

local function check_versions(tree, tvbr, len)
  local minv, maxv
  local off = 0
  while off + 4 <= len do
    local t, l = tvbr(off, 2):uint(), tvbr(off + 2, 2):uint()
    if off + 4 + l > len then break end
    if t == 0x0001 and l == 1 then minv = tvbr(off + 4, 1):uint() end
    if t == 0x0002 and l == 1 then maxv = tvbr(off + 4, 1):uint() end
    off = off + 4 + l
  end
  if minv and maxv and minv > maxv then
    report(tree, E.bad_value, string.format("bad-value: min-version %d above max-version %d", minv, maxv))
  end
end

-- Length of the frame that starts at `offset` (for TCP reassembly).
local function frame_length(tvb, pinfo, offset)
  local payload = tvb(offset + 8, 4):uint()
  if HEADER_LEN + payload > nmsp.prefs.max_frame_size then
    return HEADER_LEN -- frame-too-large is decided from the header alone; the receiver closes
  end
  return HEADER_LEN + payload
end

local function dissect_frame(tvb, pinfo, tree)
  local version = tvb(0, 1):uint()
  local flags = tvb(1, 1):uint()
  local id = tvb(2, 2):uint()
  local txn = tvb(4, 4):uint()
  local payload_len = tvb(8, 4):uint()
  local m = MESSAGES[id]
  local name = m and m.name or string.format("unknown-message-0x%04x", id)
  local too_large = HEADER_LEN + payload_len > nmsp.prefs.max_frame_size
  local root = tree:add(nmsp, tvb(), string.format("NMSP %s (0x%04x), transaction %d", name, id, txn))

  local h = root:add(tvb(0, HEADER_LEN), "header")
  local vitem = h:add(F.version, tvb(0, 1))
  local fitem = h:add(F.flags, tvb(1, 1))
  fitem:add(F.flag_request, tvb(1, 1))
  fitem:add(F.flag_reserved, tvb(1, 1))
  h:add(F.msg_id, tvb(2, 2))
  root:add(F.message, tvb(2, 2), name):set_generated()
  h:add(F.transaction_id, tvb(4, 4))
  local litem = h:add(F.payload_length, tvb(8, 4))

  frame_errors = {}
  local cols = {}
  cols[#cols + 1] = name
  if version ~= 1 then
    report(vitem, E.unsupported_version,
      string.format("unsupported-version: version %d (accepted 1..1)", version))
  end
  if too_large then
    report(litem, E.frame_too_large,
      string.format("frame-too-large: 12 + %d bytes exceeds %d", payload_len, nmsp.prefs.max_frame_size))
  end
  if flags >= 2 then
    fitem:add_proto_expert_info(E.reserved_flags)
  end
  if m then
    local wants_request = m.name:sub(-8) == "-request"
    if (flags % 2 == 1) ~= wants_request then
      fitem:add_proto_expert_info(E.flag_mismatch,
        string.format("%s is sent with the REQUEST flag %s", m.name, wants_request and "set" or "clear"))
    end
  end
  if version == 1 and not too_large then
    local payload = payload_len > 0 and tvb(HEADER_LEN, payload_len) or nil
    if not m then
      root:add_proto_expert_info(E.unknown_message,
        string.format("unknown message id 0x%04x: counted%s", id,
          flags % 2 == 1 and ", answered with Error(unsupported-message)" or ""))
      if payload_len > 0 then root:add(F.payload, payload) end
    else
      local ptree = payload and root:add(payload, string.format("payload (%d bytes)", payload_len)) or root
      local summary = dissect_attributes(ptree, payload, payload_len, 1, m.attrs, root)
      if id == 0x0001 then check_versions(root, payload, payload_len) end
      if summary ~= "" and summary ~= "?" then cols[#cols + 1] = summary end
    end
  elseif payload_len > 0 and not too_large then
    root:add(F.payload, tvb(HEADER_LEN, payload_len))
  end
  if #frame_errors > 0 then cols[#cols + 1] = "[" .. frame_errors[1] .. "]" end
  local info = table.concat(cols, " ")
  if txn ~= 0 then info = string.format("%s txn=%d", info, txn) end
  return info
end

local function dissect_pdu(tvb, pinfo, tree)
  pinfo.cols.protocol = "NMSP"
  local info = dissect_frame(tvb, pinfo, tree)
  local current = tostring(pinfo.cols.info)
  -- Several frames in one segment: list them all in the Info column.
  if current:sub(1, 5) == "NMSP:" then
    pinfo.cols.info:append("; " .. info)
  else
    pinfo.cols.info:set("NMSP: " .. info)
  end
  return tvb:len()
end

local tls_dissector = Dissector.get("tls")
local tcp_stream = Field.new("tcp.stream")

-- A TLS record header: content type 20..23, major version 3, minor 0..4.
local function looks_like_tls(tvb)
  if tvb:len() < 3 then return false end
  local ct, major, minor = tvb(0, 1):uint(), tvb(1, 1):uint(), tvb(2, 1):uint()
  return ct >= 20 and ct <= 23 and major == 3 and minor <= 4
end

-- Per TCP stream, decided on its first data: TLS (the real tunnel) or plain NMSP.
local stream_is_tls = {}
local inside_tls = false -- set while the TLS dissector runs: its decrypted data is plain NMSP

function nmsp.dissector(tvb, pinfo, tree)
  if not inside_tls then
    local stream = tcp_stream()
    local key = stream and tostring(stream.value) or "?"
    if stream_is_tls[key] == nil then
      stream_is_tls[key] = looks_like_tls(tvb)
    end
    if stream_is_tls[key] then
      inside_tls = true
      local ok, result = pcall(function() return tls_dissector:call(tvb, pinfo, tree) end)
      inside_tls = false
      if not ok then error(result) end
      return result
    end
  end
  dissect_tcp_pdus(tvb, tree, HEADER_LEN, frame_length, dissect_pdu, true)
  return tvb:len()
end

local tcp_port = nmsp.prefs.tcp_port
DissectorTable.get("tcp.port"):add(tcp_port, nmsp)
DissectorTable.get("tls.port"):add(tcp_port, nmsp)

function nmsp.prefs_changed()
  if tcp_port ~= nmsp.prefs.tcp_port then
    DissectorTable.get("tcp.port"):remove(tcp_port, nmsp)
    DissectorTable.get("tls.port"):remove(tcp_port, nmsp)
    tcp_port = nmsp.prefs.tcp_port
    DissectorTable.get("tcp.port"):add(tcp_port, nmsp)
    DissectorTable.get("tls.port"):add(tcp_port, nmsp)
  end
end
