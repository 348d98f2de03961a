#!/usr/bin/python3
"""Reads the window as a screen reader (Orca) does, through AT-SPI, and lists each control a
user can operate that would be announced without a name.

Runs the real executable, waits until it shows up on the accessibility desktop, then goes
through the window as a user would: every profile in the list (selected with the keyboard),
every page of each (selected through the page tab's AT-SPI action), the buttons that make
something appear (a connection test, a refresh) and the dialogs opened from buttons (export,
rotate password, confirm a statement, delete, create a database), closing each with its
Cancel / Close / No. Nothing that changes a profile or the server is pressed.

A control fails when it is showing and its name is empty, is an identifier (`poolSizeSpinBox`,
`pool_size`), is only the title of the group box around it, or (a combo box, whose name on
Linux is its current value) has no label at all.

    accessibility_walk.py APP CONFIG_DIR NAME:ENVIRONMENT...
        needs DISPLAY, an AT-SPI bus and xdotool; the profiles, in the list's order, are in
        CONFIG_DIR; dialogs are opened on the development and production ones
    ORDERFLOW_A11Y_DUMP=FILE      also writes every showing node there
    ORDERFLOW_A11Y_VERBOSE=1      prints each view as it is read

The empty window (no profiles yet) is read first, from a profiles folder of its own.
"""

import os
import re
import subprocess
import sys
import tempfile
import time

import pyatspi

STARTED = time.monotonic()
# Polls stay at 50 ms: Xvfb and the registry answer other tests meanwhile.
POLL = 0.05

INTERACTIVE = {
    "push button", "toggle button", "check box", "radio button", "text", "password text",
    "entry", "spin button", "combo box", "slider", "list", "table", "tree", "tree table",
    "page tab", "menu item", "check menu item", "radio menu item",
}
# objectName style (poolSizeSpinBox) and keyword style (pool_size): a name for code, not people.
CAMEL = re.compile(r"^[a-z][a-z0-9]*([A-Z][A-Za-z0-9]*)+$")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")
PAGES = ["Connection", "Test", "Server", "Pool", "Security"]


class WalkError(Exception):
    pass


def wait_for(what, predicate, timeout=20.0):
    deadline = time.monotonic() + timeout
    while True:
        try:
            value = predicate()
        except WalkError:
            raise
        except Exception:  # a node went away while we read it: ask again
            value = None
        if value:
            return value
        if time.monotonic() > deadline:
            raise WalkError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(POLL)


def showing(node):
    try:
        return node.getState().contains(pyatspi.STATE_SHOWING)
    except Exception:
        return False


def children(node):
    try:
        return [child for child in node if child is not None]
    except Exception:
        return []


def find_all(node, role=None, name=None, first=False):
    """The showing nodes below node (itself included) with that role and name."""
    found = []

    def visit(current):
        if not showing(current):
            return
        if (role is None or current.getRoleName() == role) and (name is None or current.name == name):
            found.append(current)
            if first:
                return
        for child in children(current):
            if first and found:
                return
            visit(child)

    visit(node)
    return found


def find(node, role, name=None):
    matches = find_all(node, role, name, first=True)
    return matches[0] if matches else None


def press(node):
    action = node.queryAction()
    for index in range(action.nActions):
        if action.getName(index) in ("Press", "SetFocus", "Toggle", "click", "press"):
            action.doAction(index)
            return
    action.doAction(0)


def keys(*names):
    """Types keys (xdotool names: ctrl+k, Tab, Down) into the focused window."""
    subprocess.run(["xdotool", "key", "--delay", "20", *names], check=True, timeout=10)
    time.sleep(POLL)


def relation_targets(node, relation):
    targets = []
    for rel in node.getRelationSet():
        if rel.getRelationType() == relation:
            targets += [rel.getTarget(i) for i in range(rel.getNTargets())]
    return targets


def describe(node):
    """A path a developer can find the control by: its named ancestors and its label."""
    parts = []
    current = node.parent
    while current is not None and current.getRoleName() != "application":
        top = current.parent is not None and current.parent.getRoleName() == "application"
        if current.name and current.getRoleName() in ("panel", "dialog", "frame", "filler"):
            # The main window's title names the profile: the same control on every profile.
            if not (top and current.name.endswith("OrderFlow DB Admin")):
                parts.append(current.name.splitlines()[0][:60])
        current = current.parent
    labels = [t.name for t in relation_targets(node, pyatspi.RELATION_LABELLED_BY) if t.name]
    where = " > ".join(reversed(parts)) or "the window"
    details = []
    if labels:
        details.append(f"labelled by {labels}")
    headers = [c.name for c in children(node) if c.getRoleName() == "table column header"]
    if headers:
        details.append(f"columns {headers}")
    # The text a sighted user reads on its left, on the same line.
    if not labels:
        beside = text_on_the_left(node)
        if beside:
            details.append(f"after the text {beside!r}")
    return f"in {where}" + "".join(f", {d}" for d in details)


def text_on_the_left(node):
    try:
        x, y, width, height = node.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    except Exception:
        return None
    window = node
    while window.parent is not None and window.parent.getRoleName() != "application":
        window = window.parent
    best = None
    for label in find_all(window, "label"):
        lx, ly, lw, lh = label.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        if label.name and lx + lw <= x + 2 and ly < y + height and ly + lh > y:
            if best is None or lx + lw > best[0]:
                best = (lx + lw, label.name.splitlines()[0][:60])
    return best[1] if best else None


def path(node):
    """Child indices from the top-level window: the same control on every profile."""
    indices = []
    while node is not None and node.getRoleName() != "application":
        indices.append(node.getIndexInParent())
        node = node.parent
    return tuple(reversed(indices[:-1]))


def problem(node):
    role = node.getRoleName()
    if role not in INTERACTIVE:
        return None
    name = (node.name or "").strip()
    if not name:
        return "has no name"
    if CAMEL.match(name) or SNAKE.match(name):
        return f"is named by an identifier, {name!r}"
    groups = []
    current = node.parent
    while current is not None and current.getRoleName() != "application":
        if current.getRoleName() == "panel" and current.name:
            groups.append(current.name)
        current = current.parent
    if name in groups:
        return f"is named only by its group box, {name!r}"
    if role == "combo box":
        # On Linux Qt gives a combo box its current value as name; the label comes through
        # the labelled-by relation (a label buddy), which a group box alone does not give.
        labels = [t for t in relation_targets(node, pyatspi.RELATION_LABELLED_BY)
                  if t.getRoleName() != "panel" and t.name]
        if not labels:
            return f"has no label (only its value, {name!r})"
    return None


class Walk:
    def __init__(self, app_path):
        self.app_path = app_path
        self.failures = {}
        self.checked = 0
        self.visited = []
        self.process = None
        self.app = None
        self.dump = None
        if os.environ.get("ORDERFLOW_A11Y_DUMP"):
            self.dump = open(os.environ["ORDERFLOW_A11Y_DUMP"], "w", encoding="utf-8")

    # --- the application ---------------------------------------------------------------

    def start(self, config_dir, *arguments):
        # Once more if the app could not open the display: the X server is shared with nothing
        # of ours, but a display socket can be briefly unreachable on a busy machine.
        try:
            self.start_once(config_dir, *arguments)
        except WalkError as error:
            if "could not connect to display" not in str(error):
                raise
            time.sleep(1)
            self.start_once(config_dir, *arguments)

    def start_once(self, config_dir, *arguments):
        env = dict(os.environ)
        env.update({
            "QT_QPA_PLATFORM": "xcb",
            "QT_ACCESSIBILITY": "1",
            "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1",
            "ORDERFLOW_DBADMIN_CONFIG_DIR": config_dir,
        })
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen([self.app_path, *arguments], env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        pid = self.process.pid

        def on_desktop():
            if self.process.poll() is not None:
                raise WalkError(f"the app exited with {self.process.returncode}")
            for app in pyatspi.Registry.getDesktop(0):
                if app is not None and app.get_process_id() == pid and find(app, "frame"):
                    return app
            return None

        try:
            self.app = wait_for("the app on the AT-SPI desktop", on_desktop, 30)
            # No window manager under Xvfb: give the window the keyboard as one would.
            windows = wait_for("the app's X window", lambda: subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--pid", str(pid)],
                capture_output=True, text=True).stdout.split())
            self.x_window = windows[0]
            self.focus_window()
        except (WalkError, subprocess.SubprocessError) as error:
            self.stop()
            self.log.seek(0)
            output = self.log.read().decode(errors="replace").strip()
            names = [(a.name, a.get_process_id()) for a in pyatspi.Registry.getDesktop(0)
                     if a is not None]
            raise WalkError(f"{error}; applications on the desktop: {names}; the app said: "
                            f"{output or 'nothing'}") from error

    def focus_window(self):
        # Without a window manager nobody gives the focus back when a dialog closes.
        subprocess.run(["xdotool", "windowfocus", "--sync", self.x_window], check=True,
                       timeout=10)
        wait_for("the window to be active",
                 lambda: self.window().getState().contains(pyatspi.STATE_ACTIVE))

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.app = None

    def window(self):
        return wait_for("the main window", lambda: next(
            (node for node in children(self.app)
             if node.getRoleName() == "frame" and node.name.endswith("OrderFlow DB Admin")),
            None))

    # --- checking ----------------------------------------------------------------------

    def check(self, where, root=None):
        root = root or self.app
        self.visited.append(where)
        if getattr(self, "verbose", False):
            print(f"{time.monotonic() - STARTED:6.1f} s  {where}", flush=True)
        if self.dump:
            self.dump.write(f"===== {where}\n")

        def visit(node, depth):
            if not showing(node):
                return
            if self.dump:
                labels = [(t.getRoleName(), t.name)
                          for t in relation_targets(node, pyatspi.RELATION_LABELLED_BY)]
                self.dump.write(f"{'  ' * depth}[{node.getRoleName()}] {node.name!r}"
                                f" {node.description!r} {labels or ''}\n")
            if node.getRoleName() in INTERACTIVE:
                self.checked += 1
                issue = problem(node)
                if issue:
                    # One line per control, however many profiles show it.
                    if (node.getRoleName(), path(node)) not in self.failures:
                        self.failures[(node.getRoleName(), path(node))] = (
                            issue, describe(node), where)
            # Items of lists, tables and trees are data, not controls; the list itself is.
            if node.getRoleName() in ("combo box", "table", "tree", "tree table", "list"):
                return
            for child in children(node):
                visit(child, depth + 1)

        visit(root, 0)

    # --- moving around -----------------------------------------------------------------

    def select_page(self, title):
        tab = wait_for(f"the {title} tab", lambda: find(self.window(), "page tab", title))
        press(tab)
        wait_for(f"the {title} page", lambda: find(self.window(), "page tab list").name == title)
        time.sleep(0.3)  # a page is built the first time it is shown

    def select_profile(self, name):
        self.read_warnings("the way to " + name)
        self.focus_window()
        # Ctrl+K puts the cursor in the filter; Tab moves on to the list.
        keys("ctrl+k", "Tab", "Home")
        seen = []
        for _ in range(12):
            title = self.window().name
            if title.startswith((f"{name} (", f"PRODUCTION - {name} -")):
                return
            seen.append(title)
            keys("Down")
            time.sleep(0.15)
        raise WalkError(f"could not select the profile {name!r} with the keyboard; the "
                        f"window showed {seen}")

    def dialogs(self):
        return [node for node in children(self.app)
                if node.getRoleName() in ("dialog", "alert", "frame") and showing(node)
                and not node.name.endswith("OrderFlow DB Admin")]

    def with_dialog(self, where, button, close):
        """Presses button, reads the dialog it opens, and closes it with the button close."""
        self.read_warnings(where)
        before = len(self.dialogs())
        press(button)
        dialog = wait_for(f"a dialog from {button.name!r}",
                          lambda: len(self.dialogs()) > before and self.dialogs()[-1])
        time.sleep(0.3)
        self.check(f"{where}: dialog {dialog.name!r}", dialog)
        closer = wait_for(f"{close!r} in the dialog {dialog.name!r}",
                          lambda: next((b for b in find_all(dialog, "push button")
                                        if b.name.replace("&", "") in close), None))
        press(closer)
        wait_for(f"the dialog {dialog.name!r} to close", lambda: len(self.dialogs()) == before)

    def read_warnings(self, where):
        """Reads and closes the warnings that open by themselves (the production profile shares
        a cluster with the others here: "Unexpected cluster")."""
        for dialog in self.dialogs():
            if dialog.name not in ("Unexpected cluster",):
                raise WalkError(f"an unexpected dialog {dialog.name!r} is open on {where}")
            time.sleep(0.2)
            self.check(f"{where}: dialog {dialog.name!r}", dialog)
            press(self.button("OK", dialog))
            wait_for(f"the dialog {dialog.name!r} to close", lambda: dialog not in self.dialogs())

    def button(self, name, root=None):
        return wait_for(f"the button {name!r}",
                        lambda: find(root or self.window(), "push button", name))

    # --- the walk ----------------------------------------------------------------------

    def walk_empty_window(self):
        with tempfile.TemporaryDirectory(prefix="orderflow-a11y-empty.") as empty:
            self.start(empty)
            try:
                self.button("Add the Development, Staging, Production and Test profiles")
                self.check("the empty window")
            finally:
                self.stop()

    def walk_profile(self, name, environment):
        """Every page of one profile; the dialogs too for development and production (the
        others show the same dialogs)."""
        dialogs = environment in ("development", "production")
        self.select_profile(name)
        for page in PAGES:
            where = f"{name} / {page}"
            self.select_page(page)
            self.check(where)
            if page == "Test":
                test = self.button("Test connection")
                cancel = self.button("Cancel", test.parent)
                press(test)
                # Cancel is enabled while the test runs.
                wait_for("the test to finish",
                         lambda: test.getState().contains(pyatspi.STATE_SENSITIVE)
                         and not cancel.getState().contains(pyatspi.STATE_SENSITIVE), 30)
                time.sleep(0.2)
                self.check(f"{where} (after a test)")
            elif page == "Server":
                top = self.button("Refresh").parent
                wait_for("the server page to answer", lambda: any(
                    label.name.startswith(("PostgreSQL ", "Last refresh failed"))
                    for label in children(top) if label.getRoleName() == "label"), 30)
                time.sleep(0.3)
                self.check(f"{where} (after a refresh)")
                create = [b for b in find_all(self.window(), "push button")
                          if b.name.startswith("Create")]
                if dialogs and create:
                    self.with_dialog(where, create[0], ("Cancel",))
            elif page == "Security" and dialogs:
                rotate = self.button("Rotate password...")
                if rotate.getState().contains(pyatspi.STATE_SENSITIVE):
                    self.with_dialog(where, rotate, ("Cancel",))
            self.read_warnings(where)
        if dialogs:
            self.with_dialog(f"{name} / profile bar", self.button("Export..."), ("Close",))
            self.with_dialog(f"{name} / profile list", self.button("Delete"),
                             ("Cancel",) if environment == "production" else ("No",))

    def run(self, config_dir, profiles):
        self.walk_empty_window()
        self.start(config_dir)
        try:
            for name, environment in profiles:
                self.walk_profile(name, environment)
        finally:
            self.stop()


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    app_path, config_dir = sys.argv[1], sys.argv[2]
    # NAME:ENVIRONMENT, in the list's order.
    profiles = [tuple(arg.rsplit(":", 1)) for arg in sys.argv[3:]]
    walk = Walk(app_path)
    walk.verbose = bool(os.environ.get("ORDERFLOW_A11Y_VERBOSE"))
    started = time.monotonic()
    try:
        walk.run(config_dir, profiles)
    except WalkError as error:
        print(f"FAIL: {error} (visited: {'; '.join(walk.visited)})")
        return 1
    print(f"Read {len(walk.visited)} views, {walk.checked} controls, "
          f"in {time.monotonic() - started:.1f} s")
    if walk.failures:
        print(f"FAIL: {len(walk.failures)} controls a screen reader announces without a name:")
        for (role, _), (issue, where, view) in walk.failures.items():
            print(f"  {role} {issue}, {where} (seen on {view})")
        return 1
    print("PASS: every control that shows has a name a person can understand")
    return 0


if __name__ == "__main__":
    sys.exit(main())
