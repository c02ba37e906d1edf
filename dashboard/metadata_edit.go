package dashboard

import (
	"net/url"

	"chitieu/indicators"

	"github.com/labstack/echo/v4"
)

// An indicator's metadata sheet (siêu dữ liệu): edited by admins on the
// admin indicator page, shown on the indicator page and in the API.

// metadataValues is a sheet as form values.
func metadataValues(m indicators.IndicatorMetadata) formValues {
	v := formValues{}
	for _, f := range indicators.MetadataFields {
		v[f.Key] = f.Text(&m)
	}
	return v
}

// metadataForm is the admin's form of an indicator's sheet.
func (s *Server) metadataForm(c echo.Context, code string, v formValues) *adminForm {
	f := newForm("/admin/indicators/"+url.PathEscape(code)+"/metadata", "admin.save", s.csrfToken(c), v)
	f.ID = "metadata-form"
	for _, mf := range indicators.MetadataFields {
		f.add(formField{Name: mf.Key, Label: "metadata." + mf.Key, Kind: areaField, Wide: true})
	}
	return f
}

// adminIndicatorMetadata replaces an indicator's metadata sheet.
func (s *Server) adminIndicatorMetadata(c echo.Context) error {
	ctx := c.Request().Context()
	ind, err := s.store.Indicator(ctx, pathParam(c, "code"))
	if err != nil {
		return err
	}
	v, err := readValues(c)
	if err != nil {
		return err
	}
	m := indicators.IndicatorMetadata{Indicator: ind.Code}
	for _, f := range indicators.MetadataFields {
		f.Set(&m, v[f.Key])
	}
	if err := s.metadata.SetIndicatorMetadata(ctx, m); err != nil {
		return s.showIndicatorWith(c, ind, indicatorValues(ind), nil, v, err)
	}
	return seeOther(c, "/admin/indicators/"+url.PathEscape(ind.Code), "metadata.saved")
}

// metadataRow is one written field of a sheet as a page shows it.
type metadataRow struct {
	Label, Text string
}

// metadataView is a sheet as the indicator page shows it: the written
// fields only, and who wrote them when.
type metadataView struct {
	Rows      []metadataRow
	UpdatedAt string
	UpdatedBy string
}

func (s *Server) metadataView(lang string, m indicators.IndicatorMetadata) metadataView {
	var v metadataView
	for _, f := range indicators.MetadataFields {
		if t := f.Text(&m); t != "" {
			v.Rows = append(v.Rows, metadataRow{Label: s.msgs.translate(lang, "metadata."+f.Key), Text: t})
		}
	}
	if !m.UpdatedAt.IsZero() {
		v.UpdatedAt, v.UpdatedBy = formatDate(lang, m.UpdatedAt), m.UpdatedBy
	}
	return v
}

// metadataJSON is a sheet in the API: every field, empty when not written.
type metadataJSON struct {
	Definition     string `json:"definition"`
	Method         string `json:"method"`
	Unit           string `json:"unit"`
	Source         string `json:"source"`
	Frequency      string `json:"frequency"`
	Disaggregation string `json:"disaggregation"`
	Comparability  string `json:"comparability"`
	UpdatedAt      string `json:"updated_at,omitempty"`
}

func toMetadataJSON(m indicators.IndicatorMetadata) *metadataJSON {
	j := &metadataJSON{Definition: m.Definition, Method: m.Method, Unit: m.Unit, Source: m.Source,
		Frequency: m.Frequency, Disaggregation: m.Disaggregation, Comparability: m.Comparability}
	if !m.UpdatedAt.IsZero() {
		j.UpdatedAt = m.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")
	}
	return j
}
