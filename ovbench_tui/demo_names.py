"""Names of the built-in demo models, importable without OpenVINO (for the app's form)."""

DEMO_PREFIX = "demo:"

DEMO_MODELS: dict[str, str] = {
    "cnn": "static ResNet-18-like image CNN, data f32 [1,3,112,112] -> prob [1,1000]",
    "dynamic": "small conv net, dynamic batch and spatial dims: data f32 [?,3,?,?] -> prob [?,10]",
    "tiny": "Add + Relu on x f32 [1,16]: almost no compute, shows the per-inference overhead",
}


def is_demo_path(path: str) -> bool:
    return path.startswith(DEMO_PREFIX)
