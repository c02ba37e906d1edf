package importers

import (
	"context"
	"fmt"

	"chitieu/indicators"
)

// Reopen copies the kept file of a batch into a temporary upload, with the
// options it was read with — the mapping profile as it stood, the unit and
// the locale — so that it can be previewed, and staged, again: after the
// values in force changed under a previewed batch, or to list its changes
// once more. The caller closes the upload.
func (im *Importer) Reopen(ctx context.Context, id int64) (*Upload, Options, error) {
	sb, err := im.Store.StagedBatch(ctx, id)
	if err != nil {
		return nil, Options{}, err
	}
	if sb.ProfileJSON == "" {
		return nil, Options{}, indicators.FieldError(indicators.ECONFLICT, "",
			fmt.Sprintf("lô #%d không giữ hồ sơ ánh xạ đã dùng nên không xem trước lại được; hãy tải tệp lên lại", id),
			fmt.Sprintf("batch #%d does not keep the mapping profile it was read with, so it cannot be previewed again; upload the file again", id))
	}
	p, err := ParseProfile([]byte(sb.ProfileJSON))
	if err != nil {
		return nil, Options{}, err
	}
	if p.Name == "" {
		p.Name = sb.Profile
	}
	loc, err := indicators.ParseLocale(sb.Locale)
	if err != nil {
		return nil, Options{}, err
	}
	u, err := im.restore(ctx, id, sb.FileName)
	if err != nil {
		return nil, Options{}, err
	}
	return u, Options{Profile: p, Unit: readUnit(p, sb.Batch), Locale: loc}, nil
}
