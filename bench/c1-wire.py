"""Pairs c=1 requests in a loopback capture (bench/c1-wire.sh): python3 c1-wire.py FILE.pcap GW_PORT MOCK_PORT LABEL.

Reads a classic pcap (micro- or nanosecond timestamps; Ethernet, Linux cooked or null link), keeps
TCP segments with a payload, and follows one request at a time: the client's POST to the gateway,
the gateway's POST upstream, the upstream's answer, the gateway's answer, the client's next POST.
Prints medians and p90 in microseconds.
"""
import struct
import sys


def segments(path):
    data = open(path, "rb").read()
    nano = struct.unpack("<I", data[:4])[0] == 0xA1B23C4D
    link = struct.unpack("<I", data[20:24])[0]
    skip = {1: 14, 113: 16, 0: 4}.get(link)
    if skip is None:
        raise SystemExit(f"unsupported link type {link}")
    offset = 24
    while offset + 16 <= len(data):
        seconds, fraction, length, _ = struct.unpack("<IIII", data[offset:offset + 16])
        packet = data[offset + 16:offset + 16 + length][skip:]
        offset += 16 + length
        if len(packet) < 20 or packet[0] >> 4 != 4:
            continue
        ip_header = (packet[0] & 15) * 4
        total = struct.unpack(">H", packet[2:4])[0]
        tcp = packet[ip_header:]
        source, destination = struct.unpack(">HH", tcp[:4])
        tcp_header = (tcp[12] >> 4) * 4
        if total - ip_header - tcp_header <= 0:
            continue
        yield seconds + fraction / (1e9 if nano else 1e6), source, destination, tcp[tcp_header:tcp_header + 4]


def main():
    path, gateway, mock, label = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    requests, current = [], None
    for time, source, destination, start in segments(path):
        if destination == gateway and start == b"POST":
            if current and "out" in current:
                current["next"] = time
                requests.append(current)
            current = {"in": time}
        elif current is None:
            continue
        elif destination == mock and source != gateway and start == b"POST" and "up" not in current:
            current["up"] = time
        elif source == mock and "up" in current:
            current.setdefault("answer", time)
            current["answer_end"] = time
        elif source == gateway and "answer" in current:
            current["out"] = time
    requests = [r for r in requests if "up" in r]
    if not requests:
        raise SystemExit(f"{label}: no complete request in {path}")

    def quantile(start, end, q):
        values = sorted((r[end] - r[start]) * 1e6 for r in requests)
        return values[min(len(values) - 1, int(len(values) * q))]

    print(f"{label}: {len(requests)} requests; way in {quantile('in', 'up', .5):.1f} (p90 {quantile('in', 'up', .9):.1f}) µs, "
          f"upstream {quantile('up', 'answer', .5):.1f} µs, way out {quantile('answer_end', 'out', .5):.1f} (p90 {quantile('answer_end', 'out', .9):.1f}) µs, "
          f"client request to last answer byte {quantile('in', 'out', .5):.1f} µs, client turnaround {quantile('out', 'next', .5):.1f} µs")


main()
