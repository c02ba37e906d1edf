package dashboard

import (
	"os"
	"testing"

	"chitieu/internal/testdb"
)

// TestMain removes the template databases of chitieu/internal/testdb.
func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
