package main

import (
	"os"

	"github.com/bomrank/bomrank/internal/config"
)

// loadConfig reads the configuration file that --config (flag), then
// $BOMRANK_CONFIG, then the user config directory names; the defaults
// when there is none. A file asked for by flag or environment must exist.
func loadConfig(flag string) (*config.Config, error) {
	path := config.Locate(flag, os.Getenv, os.UserConfigDir)
	if path == "" {
		return &config.Config{}, nil
	}
	return config.Load(path)
}
