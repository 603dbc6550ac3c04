"""What deploy/cluster-check and deploy/ha-check share: the binary, private PostgreSQL servers, copydesk
serve nodes, an HTTP client and a load generator that retries with the same Idempotency-Key.

Standard library only. Everything a check starts lives under one temporary directory and is stopped by
`Processes.stop_all` (checks call it from `finally` and on SIGTERM), so nothing outlives a check, even a
failed one. Ports are picked free at run time: other PostgreSQL clusters run on this machine.
"""

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def say(text):
    print(text, flush=True)


class CheckFailed(Exception):
    """A property the check proves did not hold (the message says which, with the figures)."""


def free_port():
    """A TCP port nobody listens on now (the caller binds it soon after; a clash is retried by callers)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_copydesk():
    """Builds the debug `copydesk` (as deploy/test's other steps do) and returns its path."""
    say("==> Building copydesk")
    log = os.path.join(REPO, ".build", "nodes-check-build.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "w") as out:
        if subprocess.run(["swift", "build", "--product", "copydesk"], cwd=REPO, stdout=out,
                          stderr=subprocess.STDOUT).returncode != 0:
            raise CheckFailed(f"the build failed (its output is in {log})")
    bin_path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, check=True, capture_output=True,
                              text=True).stdout.strip()
    return os.path.join(bin_path, "copydesk")


def pg_bin():
    """The newest installed PostgreSQL's bin directory (COPYDESK_PG_BIN wins, as in the binary)."""
    if os.environ.get("COPYDESK_PG_BIN"):
        return os.environ["COPYDESK_PG_BIN"]
    versions = sorted((d for d in os.listdir("/usr/lib/postgresql") if d.isdigit()), key=int)
    if not versions:
        raise CheckFailed("no PostgreSQL server in /usr/lib/postgresql (run deploy/dependencies)")
    return f"/usr/lib/postgresql/{versions[-1]}/bin"


def as_postgres(command):
    """PostgreSQL refuses to run as root: under root, run its programs as user postgres."""
    return ["runuser", "-u", "postgres", "--"] + command if os.geteuid() == 0 else command


def make_work_dir(name):
    """One temporary directory for everything a check starts; user postgres must reach it."""
    work = subprocess.run(["mktemp", "-d", f"/tmp/copydesk-{name}.XXXXXX"], check=True, capture_output=True,
                          text=True).stdout.strip()
    os.chmod(work, 0o755)
    return work


def chown_postgres(path):
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres:postgres", path], check=True)


class Processes:
    """Every long-running process a check started, to be stopped at the end whatever happens."""

    def __init__(self):
        self.started = []  # (name, Popen)
        self.cleanups = []  # callables run after the processes are stopped (pg_ctl stop, ...)

    def start(self, name, command, log_path, env=None, cwd=None):
        log = open(log_path, "ab")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                                   start_new_session=True)
        log.close()
        self.started.append((name, process))
        return process

    def stop_all(self):
        for _, process in reversed(self.started):
            if process.poll() is None:
                try:
                    process.terminate()
                except ProcessLookupError:
                    pass
        deadline = time.time() + 15
        for _, process in reversed(self.started):
            try:
                process.wait(timeout=max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for cleanup in reversed(self.cleanups):
            try:
                cleanup()
            except Exception as error:  # a clean-up that fails must not hide the others
                print(f"clean-up: {error}", file=sys.stderr)


class PostgresServer:
    """A private PostgreSQL cluster run by pg_ctl as user postgres, its socket in its own directory."""

    def __init__(self, data_dir, port, tcp=False):
        self.data_dir = data_dir
        self.port = port
        self.tcp = tcp
        self.bin = pg_bin()

    def init(self, extra_settings=""):
        os.makedirs(self.data_dir, exist_ok=True)
        chown_postgres(self.data_dir)
        os.chmod(self.data_dir, 0o700)
        subprocess.run(as_postgres([f"{self.bin}/initdb", "-D", self.data_dir, "-U", "postgres", "--auth=trust",
                                    "-E", "UTF8", "--locale=C.UTF-8"]), check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(self.data_dir, "postgresql.conf"), "a") as conf:
            conf.write(f"\nport = {self.port}\nunix_socket_directories = '{self.data_dir}'\n"
                       f"listen_addresses = '{'127.0.0.1' if self.tcp else ''}'\nmax_connections = 200\n"
                       "fsync = on\nlog_min_messages = warning\n" + extra_settings)

    def start(self):
        subprocess.run(as_postgres([f"{self.bin}/pg_ctl", "-D", self.data_dir, "-l",
                                    os.path.join(self.data_dir, "server.log"), "-w", "-t", "60", "start"]),
                       check=True, stdout=subprocess.DEVNULL)

    def stop(self, mode="fast"):
        if os.path.exists(os.path.join(self.data_dir, "postmaster.pid")):
            subprocess.run(as_postgres([f"{self.bin}/pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "stop"]),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stop_postmaster(self.data_dir)

    def conninfo(self, dbname="copydesk"):
        return f"host={self.data_dir} port={self.port} dbname={dbname} user=postgres"

    def psql(self, sql, dbname="copydesk"):
        return psql(self.conninfo(dbname), sql, self.bin)


def psql(conninfo, sql, bin_dir=None):
    """Runs SQL with psql; returns the rows as lists of strings (unaligned, tab-separated)."""
    bin_dir = bin_dir or pg_bin()
    result = subprocess.run([f"{bin_dir}/psql", conninfo, "-X", "-q", "-A", "-t", "-F", "\t", "-v",
                             "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)
    if result.returncode != 0:
        raise CheckFailed(f"psql failed: {result.stderr.strip()}")
    return [line.split("\t") for line in result.stdout.splitlines() if line]


class Copydesk:
    """The `copydesk` binary with one database URL."""

    def __init__(self, binary, database_url, work):
        self.binary = binary
        self.work = work
        self.env = dict(os.environ, COPYDESK_DATABASE_URL=database_url, COPYDESK_BCRYPT_COST="4",
                        COPYDESK_POOL_SIZE=os.environ.get("COPYDESK_POOL_SIZE", "8"))

    def run(self, *arguments, stdin=None):
        result = subprocess.run([self.binary, *arguments], env=self.env, input=stdin, capture_output=True, text=True)
        if result.returncode != 0:
            raise CheckFailed(f"copydesk {' '.join(arguments)} exited {result.returncode}: {result.stderr.strip()}")
        return result.stdout.strip()

    def start_node(self, processes, name, port=None, application_name=None):
        """`copydesk serve` on `port`; with `application_name`, its connections say so in pg_stat_activity."""
        return Node(self, processes, name, port or free_port(), application_name)


class Node:
    """One `copydesk serve` process on a port of its own."""

    def __init__(self, copydesk, processes, name, port, application_name=None):
        self.copydesk = copydesk
        self.processes = processes
        self.name = name
        self.port = port
        self.base = ("127.0.0.1", port)
        self.log = os.path.join(copydesk.work, f"{name}.log")
        env = dict(copydesk.env)
        if application_name:
            env["COPYDESK_DATABASE_URL"] += f" application_name={application_name}"
        self.process = processes.start(
            name, [copydesk.binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "info"],
            self.log, env=env)

    def wait_ready(self, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise CheckFailed(f"{self.name} exited with {self.process.returncode} (see {self.log})")
            try:
                if request(self.base, "GET", "/readyz", timeout=1)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise CheckFailed(f"{self.name} did not become ready in {timeout} s (see {self.log})")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


_connections = threading.local()


def request(base, method, path, token=None, body=None, headers=None, timeout=10, cookie=None):
    """One HTTP request on this thread's keep-alive connection to `base`; returns (status, headers, body).

    Raises OSError (or http.client's errors, subclasses of it or of HTTPException) when the server
    cannot be reached or drops the connection; the connection is then forgotten.
    """
    pool = getattr(_connections, "pool", None)
    if pool is None:
        pool = _connections.pool = {}
    connection = pool.get(base)
    if connection is None:
        connection = pool[base] = http.client.HTTPConnection(*base, timeout=timeout)
    all_headers = dict(headers or {})
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    if cookie:
        all_headers["Cookie"] = cookie
    data = None
    if body is not None:
        data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else body
        if isinstance(data, str):
            data = data.encode()
        all_headers.setdefault("Content-Type", "application/json")
    try:
        connection.timeout = timeout
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        payload = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, payload
    except (OSError, http.client.HTTPException) as error:
        connection.close()
        pool.pop(base, None)
        raise OSError(f"{method} {path} on port {base[1]}: {error!r}") from error


def must(status_wanted, result, what):
    status, _, body = result
    if status != status_wanted:
        raise CheckFailed(f"{what}: HTTP {status} (wanted {status_wanted}): {body[:300]!r}")
    return json.loads(body) if body else None


class Load:
    """HTTP commands from several threads, spread over nodes, each retried with its Idempotency-Key.

    A command is a draft (`POST /articles`) or a comment on one of the run's articles. A connection
    error, a timeout or a 503 sends the same request, same key, to the next node, until it is answered
    or `give_up_after` seconds pass. What it records: every acknowledged command (2xx), every other 5xx,
    every other unexpected answer, and when each write was acknowledged (for the gap a failover leaves).
    """

    def __init__(self, nodes, token, run_id, threads=8, give_up_after=90.0, comment_share=0.5):
        self.nodes = list(nodes)
        self.token = token
        self.run_id = run_id
        self.threads = threads
        self.give_up_after = give_up_after
        self.comment_share = comment_share
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged_drafts = {}  # key -> article id
        self.acknowledged_comments = {}  # key -> (article id, text)
        self.server_errors = []  # (status, node, body) of 5xx other than 503
        self.unexpected = []  # (status, node, body) of other answers that are not the command's success
        self.given_up = 0
        self.retries = 0
        self.unavailable = 0  # 503s seen (retried)
        self.connection_errors = 0
        self.ack_times = []  # monotonic times of acknowledgements
        self.workers = []

    def live_nodes(self):
        return [node for node in self.nodes if getattr(node, "alive", True)]

    def start(self):
        for index in range(self.threads):
            worker = threading.Thread(target=self._work, args=(index,), daemon=True)
            worker.start()
            self.workers.append(worker)

    def finish(self):
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=self.give_up_after + 30)

    def _work(self, index):
        rng = random.Random(index)
        while not self.stop.is_set():
            with self.lock:
                articles = list(self.acknowledged_drafts.values())
            key = f"{self.run_id}-{uuid.uuid4()}"
            if articles and rng.random() < self.comment_share:
                article = rng.choice(articles)
                text = f"load comment {key}"
                ok = self._send(rng, "POST", f"/articles/{article}/comments", {"text": text}, key, 201)
                if ok is not None:
                    with self.lock:
                        self.acknowledged_comments[key] = (article, text)
            else:
                ok = self._send(rng, "POST", "/articles", {"title": f"load {key}", "section": "Load"}, key, 201)
                if ok is not None:
                    with self.lock:
                        self.acknowledged_drafts[key] = ok["id"]

    def _send(self, rng, method, path, body, key, wanted):
        started = time.monotonic()
        attempt = 0
        while True:
            nodes = self.live_nodes() or self.nodes
            node = nodes[(rng.randrange(len(nodes)) + attempt) % len(nodes)]
            attempt += 1
            try:
                status, _, payload = request(node.base, method, path, token=self.token, body=body,
                                             headers={"Idempotency-Key": key}, timeout=10)
            except OSError:
                status, payload = None, b""
                with self.lock:
                    self.connection_errors += 1
            if status in (200, 201) and (status == wanted or wanted is None):
                with self.lock:
                    self.ack_times.append(time.monotonic())
                return json.loads(payload)
            if status is not None and status >= 500 and status != 503:
                with self.lock:
                    self.server_errors.append((status, node.name, payload[:300]))
            elif status == 503:
                with self.lock:
                    self.unavailable += 1
            elif status is not None:
                with self.lock:
                    self.unexpected.append((status, node.name, path, payload[:300]))
                return None
            if time.monotonic() - started > self.give_up_after:
                with self.lock:
                    self.given_up += 1
                return None
            with self.lock:
                self.retries += 1
            time.sleep(0.05 + rng.random() * 0.1)

    def longest_gap(self, since, until):
        """Longest time without an acknowledged write between `since` and `until` (monotonic)."""
        times = sorted(t for t in self.ack_times if since <= t <= until)
        points = [since] + times + [until]
        return max(b - a for a, b in zip(points, points[1:]))

    def check_nothing_lost(self, conninfo):
        """Every acknowledged draft and comment is in the database exactly once; returns the counts."""
        drafts = dict(self.acknowledged_drafts)
        comments = dict(self.acknowledged_comments)
        rows = psql(conninfo, f"SELECT id, title FROM articles WHERE title LIKE 'load {self.run_id}-%'")
        titles = {row[0]: row[1] for row in rows}
        lost = [key for key, article in drafts.items() if titles.get(article) != f"load {key}"]
        counted = psql(conninfo, f"""
            SELECT data->>'text', count(*) FROM events
            WHERE event_type = 'CommentAdded' AND data->>'text' LIKE 'load comment {self.run_id}-%' GROUP BY 1""")
        comment_counts = {row[0]: int(row[1]) for row in counted}
        lost += [key for key, (_, text) in comments.items() if comment_counts.get(text, 0) == 0]
        duplicated = [text for text, count in comment_counts.items() if count > 1]
        duplicated_titles = psql(conninfo, f"""
            SELECT title FROM articles WHERE title LIKE 'load {self.run_id}-%' GROUP BY title HAVING count(*) > 1""")
        return {"acknowledged": len(drafts) + len(comments), "drafts": len(drafts), "comments": len(comments),
                "lost": lost, "duplicated": duplicated + [row[0] for row in duplicated_titles]}


def stop_postmaster(data_dir):
    """An immediate shutdown (SIGQUIT) of the server in `data_dir`, if one runs: what is left after Patroni
    stopped (or was killed). Only a process whose command line names that directory is signalled."""
    try:
        with open(os.path.join(data_dir, "postmaster.pid")) as pid_file:
            pid = int(pid_file.readline())
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            if data_dir.encode() not in cmdline.read():
                return
        os.kill(pid, signal.SIGQUIT)
    except (OSError, ValueError):
        return
    for _ in range(300):
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.1)


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)
