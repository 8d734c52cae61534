#!/usr/bin/env python3
"""Generate a realistic open-data CSV for the `yujing scan` benchmark (fixed seed).

Usage: gen_scan_corpus.py OUT.csv SIZE_MB {release|registry|personal}

release  - what an agency publishes: case numbers built as area + date + serial (1 in 11 pass the
           ID checksum by chance), the handling office, addresses, landlines, amounts, epoch-ms
           timestamps, free-text remarks; 1 row in 500 leaks a resident ID or a mobile in the remark.
registry - the same with each organisation's unified social credit code (a valid code on every row:
           1.26 million organisational findings in 210 MB).
personal - a leaking personal table: name, resident ID, mobile, bank card on every row.
"""
import random, sys

W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
AREAS = ["110101", "110105", "310101", "310104", "310115", "440106", "440305", "330106", "320102", "510104"]
ORGS = ["社区卫生服务中心", "街道办事处", "市场监督管理所", "区图书馆", "体育中心", "养老服务中心", "文化馆"]
STREETS = ["南京西路", "延安中路", "淮海路", "曹杨路", "长寿路", "中山北路", "四川北路"]
ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
UW = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def rid(r):
    body = r.choice(AREAS) + "%04d%02d%02d%03d" % (r.randint(1950, 2005), r.randint(1, 12), r.randint(1, 28), r.randint(0, 999))
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, W)) % 11]


def uscc(r):
    org = "%08d" % r.randint(10000000, 99999999)
    s = sum(int(c) * w for c, w in zip(org, [3, 7, 9, 10, 5, 8, 4, 2]))
    c = 11 - s % 11
    org += "X" if c == 10 else "0" if c == 11 else str(c)
    body = "91" + r.choice(AREAS) + org
    return body + ALPHA[(31 - sum(ALPHA.index(ch) * w for ch, w in zip(body, UW)) % 31) % 31]


def luhn(body):
    for d in "0123456789":
        n = body + d
        s = 0
        for i, ch in enumerate(reversed(n)):
            v = int(ch) * (2 if i % 2 else 1)
            s += v - 9 if v > 9 else v
        if s % 10 == 0:
            return n


def main():
    out, size_mb, kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    r = random.Random(20261201)
    target = size_mb * 1_000_000
    written = 0
    rows = 0
    with open(out, "w", encoding="utf-8", newline="") as f:
        if kind == "personal":
            f.write("序号,姓名,身份证号,手机号,银行卡号,地址\n")
        elif kind == "registry":
            f.write("序号,办件编号,办理单位,统一社会信用代码,地址,联系电话,金额,更新时间,备注\n")
        else:
            f.write("序号,办件编号,办理单位,地址,联系电话,金额,更新时间,备注\n")
        buf = []
        while written < target:
            rows += 1
            if kind == "personal":
                line = "%d,%s*,%s,1%d%d%08d,%s,上海市%s%d号\n" % (
                    rows, r.choice("张王李赵刘陈杨黄"), rid(r), r.choice([3, 5, 8]), r.randint(0, 9),
                    r.randint(0, 99999999), luhn("62" + "%016d" % r.randint(0, 10**16 - 1)), r.choice(STREETS),
                    r.randint(1, 999))
            else:
                case_no = r.choice(AREAS) + "2024%02d%02d%04d" % (r.randint(1, 12), r.randint(1, 28), r.randint(0, 9999))
                remark = r.choice(["材料齐全，准予办理", "已按程序办结", "补正材料后受理", "现场核查通过", "转办至相关部门"])
                if rows % 500 == 0:
                    remark += "，申请人身份证号" + rid(r) if rows % 1000 else "，经办人电话1%d%d%08d" % (
                        r.choice([3, 5, 8]), r.randint(0, 9), r.randint(0, 99999999))
                code = uscc(r) + "," if kind == "registry" else ""
                line = "%d,%s,上海市%s%s,%s上海市%s%d号,021-%08d,%d.%02d,%d,%s\n" % (
                    rows, case_no, r.choice(STREETS), r.choice(ORGS), code, r.choice(STREETS), r.randint(1, 999),
                    r.randint(20000000, 69999999), r.randint(0, 99999), r.randint(0, 99),
                    1700000000000 + r.randint(0, 10**10), remark)
            buf.append(line)
            written += len(line.encode("utf-8"))
            if len(buf) >= 10000:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
    print("%s: %d rows, %.1f MB" % (out, rows, written / 1e6))


main()
