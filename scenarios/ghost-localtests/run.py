#!/usr/bin/env python3
"""Runs the ALTERs of gh-ost's localtests through Swap's online SQL on MariaDB, with each case's event body as a writer,
and compares the swapped-in table with the same ALTER run natively on the kept old table (columns, SHOW CREATE TABLE, rows).

GHOST_CASES: a folder with tests/<case>/create.sql and extra_args (copied from github.com/github/gh-ost, localtests/);
SWAP_DLL: the swap command's Swap.Cli.dll; ALWAYS_COPY=1 adds --always-copy. Uses the build's MariaDB (root over its socket).
Run it against servers without a replica that filters databases: the cases' procedures would stop it."""
import os, re, shlex, subprocess, sys, time, threading, hashlib, glob
ROOT = os.environ.get("GHOST_CASES", "/tmp/ghprobe")
SOCK = "/tmp/swap-servers/mariadb/mysqld.sock"
SWAP = ["dotnet", os.environ.get("SWAP_DLL", "/work/main/src/Swap.Cli/bin/Debug/net10.0/Swap.Cli.dll")]
ALWAYS_COPY = os.environ.get("ALWAYS_COPY", "1") == "1"

def my(db, sql, check=True):
    r = subprocess.run(["mariadb", "--no-defaults", f"--socket={SOCK}", "-uroot", "--default-character-set=utf8mb4", "-N", "-B"] + ([db] if db else []),
                       input=sql, capture_output=True, text=True, errors="replace")
    if check and r.returncode != 0:
        raise RuntimeError(f"mariadb failed: {r.stderr.strip()} in {sql[:200]}")
    return r

def parse(test):
    create = open(f"{ROOT}/tests/{test}/create.sql").read()
    args = shlex.split(open(f"{ROOT}/tests/{test}/extra_args").read())
    alter = None
    for i, a in enumerate(args):
        if a.startswith("--alter="):
            alter = a[len("--alter="):]
        elif a == "--alter":
            alter = args[i + 1]
    m = re.search(r"drop event if exists", create, re.I)
    table_sql = create[:m.start()] if m else create
    body = ""
    b = re.search(r"\bdo\s+begin(.*)end\s*;;", create, re.I | re.S)
    if b:
        body = b.group(1)
    return table_sql, alter, body

def run(test):
    table_sql, alter, body = parse(test)
    if alter is None:
        return "skip (no --alter)"
    db = ("gt_" + re.sub(r"[^a-z0-9]", "_", test))[:60]
    my(None, f"DROP DATABASE IF EXISTS {db}; CREATE DATABASE {db}; GRANT ALL ON {db}.* TO swap@'127.0.0.1'; GRANT ALL ON {db}.* TO swap@localhost;")
    r = my(db, table_sql, check=False)
    if r.returncode != 0:
        return f"setup failed: {r.stderr.strip()[:200]}"
    if body.strip():
        # Rows before the swap: the event body 100 times (errors ignored, as an event's would be).
        my(db, "DELIMITER ;;\nCREATE PROCEDURE body_once() BEGIN DECLARE CONTINUE HANDLER FOR SQLEXCEPTION BEGIN END;\n" + body + "\nEND;;\nDELIMITER ;\n")
        my(db, "CALL body_once();" * 100, check=False)
    folder = f"{ROOT}/work/{test}"
    subprocess.run(["rm", "-rf", folder]); os.makedirs(folder + "/m")
    with open(folder + "/m/20261205000000_alter.sql", "w") as f:
        f.write(f"-- swap:online\nALTER TABLE gh_ost_test {alter};\n")
    url = f"mysql://swap:swap-test-pw-7Hq2@127.0.0.1:33306/{db}"
    stop = threading.Event()
    writes = [0]
    def writer():
        while not stop.is_set():
            if body.strip():
                my(db, "CALL body_once();" * 5, check=False); writes[0] += 5
            time.sleep(0.05)
    w = threading.Thread(target=writer); w.start()
    cmd = SWAP + ["--db", url, "--migrations", folder + "/m", "up", "--keep-old", "--postpone-cut-over", "--chunk-size", "50"] + (["--always-copy"] if ALWAYS_COPY else [])
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    postponed = False
    t0 = time.time()
    while p.poll() is None and time.time() - t0 < 120:
        time.sleep(1)
        s = subprocess.run(SWAP + ["--db", url, "--migrations", folder + "/m", "status", "--live"], capture_output=True, text=True, errors="replace")
        if "postpone" in (s.stdout + s.stderr).lower() or "waiting for" in s.stdout.lower():
            postponed = True
            break
    stop.set(); w.join()
    if postponed:
        time.sleep(2)
        c = subprocess.run(SWAP + ["--db", url, "--migrations", folder + "/m", "cut-over"], capture_output=True, text=True, errors="replace")
    out, err = p.communicate(timeout=180)
    rc = p.returncode
    lines = [l for l in err.splitlines() if l.startswith("error") or "refused" in l.lower()]
    if rc != 0:
        return f"exit {rc}: " + " | ".join(lines)[:600]
    # Compare: the kept old table, altered natively, against the new table.
    old = "_gh_ost_test_swap_old"
    r = my(db, f"CREATE TABLE ref LIKE `{old}`; INSERT INTO ref SELECT * FROM `{old}`; ALTER TABLE ref {alter};", check=False)
    if r.returncode != 0:
        if not postponed:
            return f"applied (no postponed cut-over seen; native ALTER on old failed: {r.stderr.strip()[:150]})"
        return f"applied; native ALTER on the old table failed: {r.stderr.strip()[:200]}"
    cols_new = my(db, "SELECT GROUP_CONCAT(column_name ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema=DATABASE() AND table_name='gh_ost_test'").stdout.strip()
    cols_ref = my(db, "SELECT GROUP_CONCAT(column_name ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema=DATABASE() AND table_name='ref'").stdout.strip()
    ddl_new = my(db, "SHOW CREATE TABLE gh_ost_test").stdout.split("\t", 1)[1]
    ddl_ref = my(db, "SHOW CREATE TABLE ref").stdout.split("\t", 1)[1].replace("`ref`", "`gh_ost_test`")
    ddl_new = re.sub(r" AUTO_INCREMENT=\d+", "", ddl_new); ddl_ref = re.sub(r" AUTO_INCREMENT=\d+", "", ddl_ref)
    a = my(db, "SELECT * FROM gh_ost_test ORDER BY 1").stdout
    b = my(db, "SELECT * FROM ref ORDER BY 1").stdout
    notes = []
    if cols_new != cols_ref:
        notes.append(f"columns differ: swap {cols_new} vs native {cols_ref}")
    if ddl_new != ddl_ref:
        open(folder + "/ddl.diff", "w").write("SWAP:\n" + ddl_new + "\nNATIVE:\n" + ddl_ref)
        notes.append("DDL differs (see ddl.diff)")
    if a != b:
        open(folder + "/data.swap", "w").write(a); open(folder + "/data.native", "w").write(b)
        notes.append(f"DATA DIFFERS ({len(a.splitlines())} vs {len(b.splitlines())} rows)")
    if not postponed:
        notes.append("no postponed cut-over seen")
    return f"ok{'' if not notes else ' BUT ' + '; '.join(notes)} (rows {len(a.splitlines())}, writes {writes[0]})"

tests = sys.argv[1:] or sorted(os.listdir(f"{ROOT}/tests"))
for t in tests:
    try:
        res = run(t)
    except Exception as e:
        res = f"harness error: {e}"
    print(f"{t}: {res}", flush=True)
