"""Configuration: pydantic models, YAML loading, presets and the demo."""

from datasynth.config.config import Config
from datasynth.config.loader import load_config, parse_config
from datasynth.config.models import COMPLEXITIES, FORMATS, INDUSTRIES
from datasynth.config.presets import demo_config, preset_config, preset_dict

__all__ = ["COMPLEXITIES", "FORMATS", "INDUSTRIES", "Config", "demo_config", "load_config",
           "parse_config", "preset_config", "preset_dict"]
