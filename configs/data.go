package configs

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
)

// File is one reference-data document: its name (for error messages) and
// its bytes.
type File struct {
	Name string
	Data []byte
}

// CatalogFiles returns every catalogue document: those in data.catalog_dir
// when set, else the embedded ones. Order is by file name, so loading is
// deterministic.
func (c *Config) CatalogFiles() ([]File, error) {
	return c.dir(c.Data.CatalogDir, "catalog")
}

// PolicyFiles returns every pricing policy document, like CatalogFiles.
func (c *Config) PolicyFiles() ([]File, error) {
	return c.dir(c.Data.PolicyDir, "policy")
}

// LPRFile returns the LPR history document: data.lpr_file when set, else the
// embedded history.
func (c *Config) LPRFile() (File, error) {
	if c.Data.LPRFile != "" {
		b, err := os.ReadFile(c.Data.LPRFile)
		if err != nil {
			return File{}, fmt.Errorf("configs: %w", err)
		}
		return File{Name: c.Data.LPRFile, Data: b}, nil
	}
	b, err := embedded.ReadFile("lpr/lpr.yaml")
	if err != nil {
		return File{}, fmt.Errorf("configs: embedded LPR history: %w", err)
	}
	return File{Name: "configs/lpr/lpr.yaml", Data: b}, nil
}

func (c *Config) dir(override, sub string) ([]File, error) {
	var fsys fs.FS = embedded
	root, prefix := sub, "configs/"
	if override != "" {
		fsys, root, prefix = os.DirFS(override), ".", override+"/"
	}
	names, err := fs.Glob(fsys, path.Join(root, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("configs: %s: %w", prefix, err)
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("configs: no *.yaml documents in %s%s", prefix, root)
	}
	files := make([]File, 0, len(names))
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("configs: %w", err)
		}
		files = append(files, File{Name: prefix + n, Data: b})
	}
	return files, nil
}
