"""Every file, module and class that the compose file, the Helm values and the Dockerfile name
exists, and they agree on the image, /app and its .venv.

The TLS certificate is the operator's: deploy/certs is mounted by compose but never committed.
For it the tests check that nginx.conf's certificate paths fall inside that mount, that git and
the Docker build context leave the folder out, and that docs/deployment.md says which files
to put there; not that the files are present.
"""
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa.core.channels.channel import InputChannel
from rasa.core.tracker_store import TrackerStore
from rasa.shared.utils.common import class_from_module_path

from .layout import (COMPOSE_FILE, DEPLOY, DOCKERFILE, IMAGE, NGINX_CONF, ROOT, app_services, compose,
                     docker_env, dockerfile, dockerignore, helm, ignored, option, workdir)

APP_SERVICES = ("actions", "rasa", "web")


def test_the_deployment_files_exist():
    for path in (COMPOSE_FILE, DOCKERFILE, NGINX_CONF, DEPLOY / "helm-values.yaml", ROOT / ".dockerignore"):
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing"


def test_compose_builds_the_image_it_runs_from_the_dockerfile():
    services = app_services(compose())
    assert sorted(services) == sorted(APP_SERVICES)
    for name, service in services.items():
        build = service.get("build")
        assert build, f"{name}: no build entry, so nothing builds {service['image']}"
        context = (COMPOSE_FILE.parent / build["context"]).resolve()
        assert context == ROOT, f"{name}: build context {context} is not the repository root"
        assert (context / build["dockerfile"]).resolve() == DOCKERFILE


def test_compose_mounts_only_files_that_exist_or_the_operators_certificate():
    proxy = compose()["services"]["proxy"]
    mounts = {}
    for volume in proxy["volumes"]:
        host, target = volume.split(":")[:2]
        mounts[target] = COMPOSE_FILE.parent / host
    assert mounts["/etc/nginx/nginx.conf"].resolve() == NGINX_CONF
    certs = [target for target, host in mounts.items() if host.resolve() == DEPLOY / "certs"]
    assert certs == ["/etc/nginx/certs"], mounts
    for target, host in mounts.items():
        if target != "/etc/nginx/certs":
            assert host.exists(), f"compose mounts {host}, which is not in the repository"

    # nginx reads relative paths from the folder of its configuration file (/etc/nginx).
    conf = NGINX_CONF.read_text()
    named = re.findall(r"^\s*(ssl_certificate(?:_key)?)\s+(\S+);", conf, re.M)
    assert {d for d, _ in named} == {"ssl_certificate", "ssl_certificate_key"}
    docs = (ROOT / "docs" / "deployment.md").read_text()
    for _, path in named:
        full = Path("/etc/nginx") / path
        assert full.parent == Path("/etc/nginx/certs"), f"{path} is outside the certificate mount"
        assert f"deploy/certs/{full.name}" in docs, f"docs/deployment.md does not say to provide {full.name}"
    assert subprocess.run(["git", "check-ignore", "-q", "deploy/certs/privkey.pem"], cwd=ROOT).returncode == 0, \
        "git would let a private key in deploy/certs be committed"
    assert ignored("deploy/certs/privkey.pem", dockerignore())


def test_the_dockerfile_pins_python_and_runs_as_a_user_from_app():
    steps = dockerfile()
    base = [args for word, args in steps if word == "FROM"]
    assert len(base) == 1 and re.fullmatch(r"python:3\.10\.\d+-slim-bookworm", base[0]), base
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0"), "the image must not run as root"
    assert workdir() == "/app"
    env = docker_env()
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert env["PYTHONPATH"] == workdir()


def test_the_dockerfile_builds_what_the_makefile_builds():
    steps = dockerfile()
    runs = " && ".join(args for word, args in steps if word == "RUN")
    assert "python -m venv .venv" in runs
    assert ".venv/bin/python -m pip install -q -r requirements.txt -c constraints.txt" in runs
    spacy_model = next(c["model"] for c in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
                       if c["name"] == "SpacyNLP")
    assert f".venv/bin/python spacy_pipeline/build.py {spacy_model}" in runs
    assert ".venv/bin/python scripts/train.py" in runs
    assert runs.index("spacy_pipeline/build.py") < runs.index("scripts/train.py")
    for word, args in steps:
        if word == "COPY":
            for source in args.split()[:-1]:
                assert (ROOT / source).exists(), f"COPY {source}: not in the repository"
    for path in re.findall(r"[\w./-]+\.(?:py|txt|yml)", runs):
        assert (ROOT / path).is_file(), f"the Dockerfile runs {path}, which is not in the repository"


def test_the_build_context_leaves_out_local_state_but_not_the_source():
    patterns = dockerignore()
    for local in (".git", ".venv", "models", "build", "logs", "rasa.db", "server/__pycache__/channel.cpython-310.pyc"):
        assert ignored(local, patterns), f".dockerignore lets {local} into the image"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    assert tracked
    left_out = [f for f in tracked if ignored(f, patterns)]
    assert left_out == [], f".dockerignore leaves out committed files: {left_out[:10]}"


def test_the_compose_commands_name_what_the_image_holds():
    services = compose()["services"]
    for name in APP_SERVICES:  # run from WORKDIR, where the Dockerfile makes .venv
        assert services[name]["command"][0] in (".venv/bin/rasa", ".venv/bin/python"), name

    actions = services["actions"]["command"]
    importlib.import_module(option(actions, "--actions"))

    rasa = services["rasa"]["command"]
    endpoints = ROOT / option(rasa, "--endpoints")
    credentials = ROOT / option(rasa, "--credentials")
    assert endpoints.is_file() and credentials.is_file()
    store = yaml.safe_load(endpoints.read_text())
    assert issubclass(class_from_module_path(store["tracker_store"]["type"]), TrackerStore)
    assert store["lock_store"]["type"] == "redis"
    for channel in yaml.safe_load(credentials.read_text()):
        assert issubclass(class_from_module_path(channel), InputChannel)
    assert services["rasa"]["environment"]["PYTHONPATH"] == workdir()

    # `--model models`: the folder the Dockerfile's training step fills.
    models = option(rasa, "--model")
    trained = subprocess.run([sys.executable, "scripts/train.py"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.strip().splitlines()[-1]
    assert Path(trained).parent == Path(models) and (ROOT / trained).is_file()

    web = services["web"]["command"]
    assert (ROOT / web[1]).is_file()


def test_the_replicas_endpoints_take_every_value_from_compose(monkeypatch):
    """Rasa expands ${VAR} only in unquoted values: a quoted one reaches the store as the literal text."""
    from rasa.shared.utils.io import read_config_file

    rasa = compose()["services"]["rasa"]
    env = {k: str(v) for k, v in rasa["environment"].items()}
    env["POSTGRES_PASSWORD"] = "a password"  # compose takes it from the operator's environment
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = read_config_file(str(ROOT / option(rasa["command"], "--endpoints")))
    store, lock = config["tracker_store"], config["lock_store"]
    assert config["action_endpoint"]["url"] == env["ACTION_SERVER_URL"]
    assert (store["url"], str(store["port"]), store["db"], store["username"], store["password"]) == (
        env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DB"], env["POSTGRES_USER"], "a password")
    assert (lock["url"], str(lock["port"])) == (env["REDIS_HOST"], env["REDIS_PORT"])


def test_the_helm_values_run_the_same_image_the_same_way():
    values, spec = helm(), compose()
    image = next(iter(app_services(spec).values()))["image"]
    for block in (values["image"], values["rasa-action-server"]["image"]):
        assert block["name"] == IMAGE == image.split(":")[0]
        assert block["repository"].rsplit("/", 1)[-1] == IMAGE
    venv_rasa = workdir() + "/.venv/bin/rasa"
    assert values["command"] == [venv_rasa]
    # The action server is rasa_sdk's own entry point in the image's .venv, as compose runs it.
    assert values["rasa-action-server"]["command"][:3] == [workdir() + "/.venv/bin/python", "-m", "rasa_sdk"]
    assert compose()["services"]["actions"]["command"][:3] == [".venv/bin/python", "-m", "rasa_sdk"]
    importlib.import_module(option(values["rasa-action-server"]["command"], "--actions"))
    assert {e["name"]: e["value"] for e in values["extraEnv"]}["PYTHONPATH"] == workdir()

    settings = values["applicationSettings"]
    # The chart downloads initialModel as a URL into an empty /app/models; the model is in the image.
    assert settings["initialModel"] == "" or re.match(r"https?://", settings["initialModel"])
    assert settings["telemetry"]["enabled"] is False
    assert issubclass(class_from_module_path(settings["endpoints"]["trackerStore"]["type"]), TrackerStore)
    for channel in settings["credentials"]["additionalChannelCredentials"]:
        assert issubclass(class_from_module_path(channel), InputChannel)

    ingress = values["ingress"]
    assert ingress["path"] == "/webhooks"
    assert ingress["annotations"]["nginx.ingress.kubernetes.io/upstream-hash-by"] == "$http_x_sender_id"


@pytest.mark.parametrize("where", ["deploy/nginx.conf", "web/app.js"])
def test_the_proxy_hashes_on_the_header_the_page_sends(where):
    text = (ROOT / where).read_text()
    if where.endswith(".conf"):
        assert re.search(r"^\s*hash \$http_x_sender_id consistent;", text, re.M)
        assert re.search(r"^\s*location /webhooks/ \{", text, re.M)
    else:
        assert re.search(r'"X-Sender-Id": sender', text)
