"""Read config.toml once, check all of it, and return a frozen Config.

Every key has a working default, so a file holds only what it changes. Unknown keys are errors
(a typo must not pass silently) and every error names the key path, e.g. `fetch.min_interval_s`.
Relative paths are resolved against the config file's directory (the working directory when no
file is used).
"""

from feedbot.config.checks import LIMITS, check_number, check_paths
from feedbot.config.load import RENAMED, load_config, load_model, parse_config, resolve_paths
from feedbot.config.sections import (
    DEFAULT_CONFIG_NAME,
    ArchiveConfig,
    Config,
    CurateConfig,
    FetchConfig,
    HealthConfig,
    OutputConfig,
    ScheduleConfig,
    SiteConfig,
    StoreConfig,
    WebSubConfig,
)

__all__ = [
    "DEFAULT_CONFIG_NAME",
    "LIMITS",
    "RENAMED",
    "ArchiveConfig",
    "Config",
    "CurateConfig",
    "FetchConfig",
    "HealthConfig",
    "OutputConfig",
    "ScheduleConfig",
    "SiteConfig",
    "StoreConfig",
    "WebSubConfig",
    "check_number",
    "check_paths",
    "load_config",
    "load_model",
    "parse_config",
    "resolve_paths",
]
