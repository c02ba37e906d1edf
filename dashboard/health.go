package dashboard

import (
	"net/http"

	"chitieu/importers"

	"github.com/labstack/echo/v4"
)

// lowDiskBytes is the free space below which /healthz reports the disk as
// nearly full: room for an import of some 150,000 values.
const lowDiskBytes = 256 << 20

// diskJSON is the room left in one folder chitieu writes to.
type diskJSON struct {
	What      string `json:"what"` // "database" or "uploads"
	FreeBytes int64  `json:"free_bytes"`
	Low       bool   `json:"low"`
}

// healthJSON is the answer of /healthz.
type healthJSON struct {
	Status  string     `json:"status"` // "ok", or "low_disk"
	Disk    []diskJSON `json:"disk,omitempty"`
	Message string     `json:"message,omitempty"`
}

// freeSpacer is a store that can tell the room left beside its database.
type freeSpacer interface {
	FreeSpace() (int64, error)
}

// healthz answers 200 while the server runs, and says when the database's
// folder or the uploads' temporary folder is nearly full, before imports
// start failing with "đĩa đầy". The server still serves pages then, so the
// status stays 200 and a monitor reads the body; folders are not named, as
// anyone may ask.
func (s *Server) healthz(c echo.Context) error {
	h := healthJSON{Status: "ok"}
	add := func(what string, free int64, err error) {
		if err != nil || free < 0 {
			return
		}
		d := diskJSON{What: what, FreeBytes: free, Low: free < lowDiskBytes}
		if d.Low {
			h.Status = "low_disk"
			h.Message = "đĩa sắp đầy: còn dưới 256 MB trống; các lần nhập số liệu lớn sẽ bị từ chối (disk space low)"
		}
		h.Disk = append(h.Disk, d)
	}
	if fs, ok := s.store.(freeSpacer); ok {
		free, err := fs.FreeSpace()
		add("database", free, err)
	}
	if s.imports != nil {
		free, err := importers.FreeSpace(s.imports.Importer().TempDir)
		add("uploads", free, err)
	}
	return c.JSON(http.StatusOK, h)
}
