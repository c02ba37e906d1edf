package indicators_test

import (
	"strings"
	"testing"

	"chitieu/indicators"
)

// phrasing is one target text and what the parser must read from it, or
// the reason it must leave it unread.
type phrasing struct {
	text   string
	kind   indicators.Kind
	op     indicators.Op
	a, b   float64
	unit   string
	base   int
	unread string // a word of the reason; the text must not be read
}

const (
	lv    = indicators.LevelTarget
	rel   = indicators.RelativeTarget
	avgG  = indicators.AvgGrowthTarget
	avgC  = indicators.AvgChangeTarget
	mean  = indicators.AverageTarget
	ann   = indicators.AnnualTarget
	cum   = indicators.CumulativeTarget
	opGE  = indicators.OpAtLeast
	opGT  = indicators.OpAbove
	opLE  = indicators.OpAtMost
	opLT  = indicators.OpBelow
	opAb  = indicators.OpAbout
	opRg  = indicators.OpRange
	noop  = indicators.OpNone
	pct   = "%"
	pctY  = "%/năm"
	times = "lần"
)

// languagePhrasings are every target text of the fact sheet
// (shared/reference/resolution59.md, tables b1–b5, written as the acts
// write them in Vietnamese), then phrasings in the same style from other
// provinces' resolutions and annual plans.
var languagePhrasings = []phrasing{
	// b1. Resolution 98/NQ-CP, 2021–2025.
	{text: "Tăng trưởng GRDP bình quân 7,5–8%/năm", kind: avgG, op: opRg, a: 7.5, b: 8, unit: pctY},
	{text: "Tốc độ tăng vốn đầu tư toàn xã hội bình quân 10–12,5%/năm", kind: avgG, op: opRg, a: 10, b: 12.5, unit: pctY},
	{text: "Phấn đấu tổng thu NSNN hằng năm đạt …", kind: ann, unread: "không có con số"},
	{text: "GRDP bình quân đầu người đến năm 2025 đạt 6.200–6.800 USD", kind: lv, op: opRg, a: 6200, b: 6800, unit: "USD"},
	// b2. XIV City Party Congress.
	{text: "Bình quân 7,5–8,0%/năm", kind: avgG, op: opRg, a: 7.5, b: 8, unit: pctY},
	{text: "Khu vực nông nghiệp – thủy sản tăng bình quân 2,5–3,0%/năm", kind: avgG, op: opRg, a: 2.5, b: 3, unit: pctY},
	{text: "Công nghiệp – xây dựng tăng bình quân 9,0–9,5%/năm", kind: avgG, op: opRg, a: 9, b: 9.5, unit: pctY},
	{text: "Dịch vụ tăng bình quân 7,5–8,1%/năm", kind: avgG, op: opRg, a: 7.5, b: 8.1, unit: pctY},
	{text: "Thuế sản phẩm trừ trợ cấp sản phẩm tăng bình quân 6,0–6,5%/năm", kind: avgG, op: opRg, a: 6, b: 6.5, unit: pctY},
	{text: "GRDP bình quân đầu người đến năm 2025 đạt 145–160 triệu đồng", kind: lv, op: opRg, a: 145, b: 160, unit: "triệu đồng"},
	{text: "6.200–6.800 USD", kind: lv, op: opRg, a: 6200, b: 6800, unit: "USD"},
	{text: "Tỷ trọng khu vực nông nghiệp – thủy sản 5,60–5,90%", kind: lv, op: opRg, a: 5.6, b: 5.9, unit: pct},
	{text: "Tỷ trọng công nghiệp – xây dựng 33,70–34,00%", kind: lv, op: opRg, a: 33.7, b: 34, unit: pct},
	{text: "Tỷ trọng dịch vụ 54,10–54,75%", kind: lv, op: opRg, a: 54.1, b: 54.75, unit: pct},
	{text: "Thuế sản phẩm trừ trợ cấp 5,90–5,95%", kind: lv, op: opRg, a: 5.9, b: 5.95, unit: pct},
	{text: "10–12,5%/năm", kind: avgG, op: opRg, a: 10, b: 12.5, unit: pctY},
	{text: "Tổng thu NSNN hằng năm đạt ít nhất dự toán Trung ương giao", kind: ann, unread: "không có con số"},
	{text: "Tỷ lệ thu ngân sách so với GRDP bình quân giai đoạn 2020–2025 đạt 12–14%", unread: "so với grdp"},
	{text: "12–14% GRDP (bình quân giai đoạn 2020–2025)", kind: mean, op: opRg, a: 12, b: 14, unit: pct},
	{text: "Năng suất lao động năm 2025 đạt 297,18 triệu đồng/lao động/năm", kind: lv, op: opGE, a: 297.18, unit: "triệu đồng/lao động/năm"},
	{text: "Tốc độ tăng năng suất lao động hằng năm 11–15%", kind: ann, op: opRg, a: 11, b: 15, unit: pct},
	{text: "Tốc độ đổi mới công nghệ, máy móc, thiết bị bình quân 12–13%/năm", kind: avgG, op: opRg, a: 12, b: 13, unit: pctY},
	{text: "Tỷ trọng giá trị sản phẩm công nghệ cao đạt 35–40%", kind: lv, op: opRg, a: 35, b: 40, unit: pct},
	{text: "Tỷ lệ đô thị hóa đạt 76%", kind: lv, op: opGE, a: 76, unit: pct},
	{text: "17 bác sĩ/vạn dân", kind: lv, op: opGE, a: 17, unit: "bác sĩ/vạn dân"},
	{text: "Tỷ lệ hộ nghèo (chuẩn mới) dưới 0,5%", kind: lv, op: opLT, a: 0.5, unit: pct},
	// b3. Old-city plans to 2030.
	{text: "Tăng trưởng GRDP giai đoạn 2026–2030 bình quân 7–7,5%/năm", kind: avgG, op: opRg, a: 7, b: 7.5, unit: pctY},
	{text: "Vốn đầu tư toàn xã hội tăng bình quân 9–11,5%/năm", kind: avgG, op: opRg, a: 9, b: 11.5, unit: pctY},
	{text: "GRDP bình quân đầu người năm 2030 đạt 9.400–11.000 USD", kind: lv, op: opRg, a: 9400, b: 11000, unit: "USD"},
	{text: "Tỷ trọng dịch vụ 56,5–56,7%", kind: lv, op: opRg, a: 56.5, b: 56.7, unit: pct},
	{text: "Tỷ trọng công nghiệp – xây dựng 34–34,3%", kind: lv, op: opRg, a: 34, b: 34.3, unit: pct},
	{text: "Tỷ trọng nông nghiệp 3,4–4%", kind: lv, op: opRg, a: 3.4, b: 4, unit: pct},
	{text: "Thuế sản phẩm trừ trợ cấp 5–5,6%", kind: lv, op: opRg, a: 5, b: 5.6, unit: pct},
	{text: "Sản phẩm công nghệ cao chiếm khoảng 45–50%", kind: lv, op: opRg, a: 45, b: 50, unit: pct},
	{text: "Tỷ lệ đô thị hóa đến năm 2030 đạt 80%", kind: lv, op: opGE, a: 80, unit: pct},
	{text: "Tăng trưởng GRDP giai đoạn 2021–2030 bình quân 7,5–8%/năm", kind: avgG, op: opRg, a: 7.5, b: 8, unit: pctY},
	{text: "GRDP bình quân đầu người năm 2030 trên 220 triệu đồng", kind: lv, op: opGT, a: 220, unit: "triệu đồng"},
	{text: "Tỷ trọng nông, lâm, thủy sản khoảng 5,9%", kind: lv, op: opAb, a: 5.9, unit: pct},
	{text: "Tỷ trọng công nghiệp – xây dựng khoảng 35,9%", kind: lv, op: opAb, a: 35.9, unit: pct},
	{text: "Khoảng 58,2% (dịch vụ và thuế sản phẩm trừ trợ cấp sản phẩm)", kind: lv, op: opAb, a: 58.2, unit: pct},
	{text: "Năng suất lao động tăng bình quân 11–15%/năm", kind: avgG, op: opRg, a: 11, b: 15, unit: pctY},
	{text: "Tỷ lệ lao động qua đào tạo năm 2025 đạt 80–85%", kind: lv, op: opRg, a: 80, b: 85, unit: pct},
	{text: "Tỷ lệ lao động qua đào tạo năm 2030 đạt 85–90%", kind: lv, op: opRg, a: 85, b: 90, unit: pct},
	{text: "Tỷ lệ người học nghề có việc làm sau đào tạo đạt ít nhất 80%", kind: lv, op: opGE, a: 80, unit: pct},
	{text: "Ít nhất 85% (đến năm 2030)", kind: lv, op: opGE, a: 85, unit: pct},
	{text: "Giải quyết việc làm cho 252.500 lao động (giai đoạn 2021–2025)", kind: cum, op: opGE, a: 252500, unit: "lao động"},
	{text: "Giai đoạn 2026–2030 giải quyết việc làm cho 277.000 lao động", kind: cum, op: opGE, a: 277000, unit: "lao động"},
	{text: "Tỷ lệ thất nghiệp không quá 4%", kind: lv, op: opLE, a: 4, unit: pct},
	{text: "Tỷ lệ thất nghiệp dưới 4%", kind: lv, op: opLT, a: 4, unit: pct},
	{text: "Tỷ lệ thất nghiệp đến năm 2030 không quá 3%", kind: lv, op: opLE, a: 3, unit: pct},
	{text: "Tốc độ tăng dân số bình quân khoảng 0,67%/năm", kind: avgG, op: opAb, a: 0.67, unit: pctY},
	{text: "0,15% (mục tiêu cả giai đoạn 2021–2025)", kind: lv, op: opGE, a: 0.15, unit: pct},
	{text: "Công suất 7 triệu hành khách/năm (năm 2030)", kind: lv, op: opGE, a: 7, unit: "triệu hành khách/năm"},
	{text: "12 triệu hành khách/năm vào năm 2050", kind: lv, op: opGE, a: 12, unit: "triệu hành khách/năm"},
	// b4. The merged city: DH1, DHUB, the adjusted master plan.
	{text: "Tăng trưởng GRDP bình quân 10–10,5%/năm trở lên", kind: avgG, op: opGE, a: 10, unit: pctY},
	{text: "Tăng trưởng GRDP từ 10%/năm trở lên", kind: avgG, op: opGE, a: 10, unit: pctY},
	{text: "Tăng trưởng GRDP bình quân trên 10%/năm", kind: avgG, op: opGT, a: 10, unit: pctY},
	{text: "Quy mô GRDP năm 2030 đạt ít nhất 717 nghìn tỷ đồng", kind: lv, op: opGE, a: 717, unit: "nghìn tỷ đồng"},
	{text: "GRDP bình quân đầu người khoảng 215 triệu đồng/người/năm", kind: lv, op: opAb, a: 215, unit: "triệu đồng/người/năm"},
	{text: "8.500 USD (giá hiện hành)", kind: lv, op: opGE, a: 8500, unit: "USD"},
	{text: "Kim ngạch xuất khẩu và thu ngoại tệ đạt 8,2 tỷ USD", kind: lv, op: opGE, a: 8.2, unit: "tỷ USD"},
	{text: "Thu nhập bình quân đầu người đạt 8,5 triệu đồng/tháng", kind: lv, op: opGE, a: 8.5, unit: "triệu đồng/tháng"},
	{text: "Thu ngân sách năm 2030 đạt 57 nghìn tỷ đồng", kind: lv, op: opGE, a: 57, unit: "nghìn tỷ đồng"},
	{text: "Thu ngân sách ước đạt khoảng 57.000 tỷ đồng", kind: lv, op: opAb, a: 57000, unit: "tỷ đồng"},
	{text: "Thu ngân sách tăng bình quân khoảng 15%/năm", kind: avgG, op: opAb, a: 15, unit: pctY},
	{text: "Vốn đầu tư toàn xã hội 286 nghìn tỷ đồng (bằng 40% GRDP)", kind: lv, op: opGE, a: 286, unit: "nghìn tỷ đồng"},
	{text: "Tỷ trọng nông, lâm, thủy sản dưới 16%", kind: lv, op: opLT, a: 16, unit: pct},
	{text: "Tỷ trọng công nghiệp – xây dựng trên 35%", kind: lv, op: opGT, a: 35, unit: pct},
	{text: "Tỷ trọng dịch vụ trên 45%", kind: lv, op: opGT, a: 45, unit: pct},
	{text: "Thuộc nhóm 15 địa phương điều hành tốt nhất", kind: lv, op: opLE, a: 15, unit: "hạng"},
	{text: "Kinh tế số chiếm 30% GRDP", kind: lv, op: opGE, a: 30, unit: pct},
	{text: "Tỷ lệ sử dụng dịch vụ công trực tuyến trên 80%", kind: lv, op: opGT, a: 80, unit: pct},
	{text: "Khu vực kinh tế tư nhân tăng trưởng bình quân 10%/năm", kind: avgG, op: opGE, a: 10, unit: pctY},
	{text: "Hằng năm giải ngân 100% kế hoạch vốn đầu tư công", kind: ann, op: opGE, a: 100, unit: pct},
	{text: "Dân số trung bình 3,3 triệu người", kind: lv, op: opGE, a: 3.3, unit: "triệu người"},
	{text: "Dân số trên 3,3 triệu người", kind: lv, op: opGT, a: 3.3, unit: "triệu người"},
	{text: "Chỉ số HDI đạt 0,78", kind: lv, op: opGE, a: 0.78},
	{text: "Chỉ số HDI tối thiểu 0,78", kind: lv, op: opGE, a: 0.78},
	{text: "Năng suất lao động trên 358 triệu đồng/lao động", kind: lv, op: opGT, a: 358, unit: "triệu đồng/lao động"},
	{text: "Tăng năng suất lao động bình quân trên 10%/năm", kind: avgG, op: opGT, a: 10, unit: pctY},
	{text: "Tỷ lệ đô thị hóa đạt 50%", kind: lv, op: opGE, a: 50, unit: pct},
	{text: "Tỷ lệ đô thị hóa đạt 50–55%", kind: lv, op: opRg, a: 50, b: 55, unit: pct},
	{text: "Tỷ lệ đô thị hóa đạt ít nhất 50%", kind: lv, op: opGE, a: 50, unit: pct},
	{text: "Tuổi thọ trung bình khoảng 75,5 tuổi", kind: lv, op: opAb, a: 75.5, unit: "tuổi"},
	{text: "Lao động qua đào tạo có bằng cấp, chứng chỉ đạt 35–40%", kind: lv, op: opRg, a: 35, b: 40, unit: pct},
	{text: "1.700.000 người có việc làm", kind: lv, op: opGE, a: 1700000, unit: "người có việc làm"},
	{text: "19 bác sĩ/vạn dân", kind: lv, op: opGE, a: 19, unit: "bác sĩ/vạn dân"},
	{text: "Trên 44 giường bệnh/vạn dân (cuối năm 2030)", kind: lv, op: opGT, a: 44, unit: "giường bệnh/vạn dân"},
	// b5. Annual targets for 2025 and 2026.
	{text: "Tăng trưởng GRDP năm 2020 đạt 7,82%", kind: lv, op: opGE, a: 7.82, unit: pct},
	{text: "Tăng trưởng GRDP năm 2025 đạt 9,5%", kind: lv, op: opGE, a: 9.5, unit: pct},
	{text: "Tăng trưởng GRDP từ 10% trở lên", kind: lv, op: opGE, a: 10, unit: pct},
	{text: "Tổng vốn đầu tư toàn xã hội tăng ít nhất 15% so với ước thực hiện năm 2024", kind: rel, op: opGE, a: 1.15, unit: times, base: 2024},
	{text: "Thu ngân sách tăng ít nhất 20% so với dự toán", unread: "so với dự toán"},
	{text: "Giải ngân 100% vốn đầu tư công", kind: lv, op: opGE, a: 100, unit: pct},
	{text: "Hoàn thành 1.397 căn nhà ở xã hội", kind: lv, op: opGE, a: 1397, unit: "căn nhà ở xã hội"},
	{text: "Tỷ lệ huy động trẻ đúng độ tuổi 95% / 99,5% / 95%", unread: "nhiều con số"},
	{text: "Tỷ lệ học sinh tốt nghiệp THCS vào THPT, GDNN ít nhất 75%", kind: lv, op: opGE, a: 75, unit: pct},
	{text: "Tỷ lệ lao động qua đào tạo đạt 73,67%", kind: lv, op: opGE, a: 73.67, unit: pct},
	{text: "100% hộ dân đô thị sử dụng nước sạch", kind: lv, op: opGE, a: 100, unit: pct},
	{text: "Tỷ lệ hộ dân nông thôn sử dụng nước sạch đạt chuẩn 86,26%", kind: lv, op: opGE, a: 86.26, unit: pct},
	{text: "Tỷ lệ chất thải rắn đô thị được thu gom, xử lý đạt 96,66%", kind: lv, op: opGE, a: 96.66, unit: pct},
	{text: "Ít nhất 75% xã, phường đạt tiêu chuẩn an toàn về an ninh, trật tự", kind: lv, op: opGE, a: 75, unit: pct},
	{text: "Tỷ lệ hộ nghèo đa chiều giảm còn 0,63%", kind: lv, op: opLE, a: 0.63, unit: pct},
	{text: "Tỷ lệ bao phủ bảo hiểm y tế 96,11% (khoảng 3,1 triệu người)", kind: lv, op: opGE, a: 96.11, unit: pct},
	{text: "Hơn 433.000 người tham gia bảo hiểm xã hội (40% lực lượng lao động trong độ tuổi); bảo hiểm thất nghiệp hơn 294.000 người", unread: "nhiều con số"},
	{text: "Tăng trưởng GRDP năm 2026 đạt 10–10,5% trở lên", kind: lv, op: opGE, a: 10, unit: pct},
	{text: "Vốn đầu tư công được giao trên 19.200 tỷ đồng", kind: lv, op: opGT, a: 19200, unit: "tỷ đồng"},
	{text: "Tỷ lệ đô thị hóa năm 2023 đạt 74%", kind: lv, op: opGE, a: 74, unit: pct},
	{text: "Tỷ lệ hộ nghèo cuối năm 2023 còn 0,32% (giảm 0,2 điểm phần trăm so với 0,52%)", kind: lv, op: opLE, a: 0.32, unit: pct},
	{text: "10/36 xã đạt chuẩn nông thôn mới kiểu mẫu", unread: "nhiều con số"},
	{text: "1/4 huyện đạt chuẩn nông thôn mới nâng cao", unread: "nhiều con số"},

	// The forms of the issue.
	{text: "trên 95%", kind: lv, op: opGT, a: 95, unit: pct},
	{text: "dưới 5%", kind: lv, op: opLT, a: 5, unit: pct},
	{text: "không quá 10%", kind: lv, op: opLE, a: 10, unit: pct},
	{text: "tối đa 3%", kind: lv, op: opLE, a: 3, unit: pct},
	{text: "không dưới 90%", kind: lv, op: opGE, a: 90, unit: pct},
	{text: "tối thiểu 70%", kind: lv, op: opGE, a: 70, unit: pct},
	{text: "từ 80% trở lên", kind: lv, op: opGE, a: 80, unit: pct},
	{text: "giảm 30% so với năm 2020", kind: rel, op: opLE, a: 0.7, unit: times, base: 2020},
	{text: "tăng 1,5 lần so với năm 2020", kind: rel, op: opGE, a: 1.5, unit: times, base: 2020},
	{text: "gấp 1,5 lần so với năm 2020", kind: rel, op: opGE, a: 1.5, unit: times, base: 2020},
	{text: "tăng 20% so với năm 2020", kind: rel, op: opGE, a: 1.2, unit: times, base: 2020},
	{text: "tỷ lệ hộ nghèo giảm bình quân 1%/năm", kind: avgC, op: opGE, a: 1, unit: pctY},
	{text: "bình quân 7,5–8%/năm", kind: avgG, op: opRg, a: 7.5, b: 8, unit: pctY},
	{text: "bình quân giai đoạn đạt 30%", kind: mean, op: opGE, a: 30, unit: pct},
	{text: "Tổng vốn đầu tư toàn xã hội 5 năm đạt 1.200.000 tỷ đồng", kind: cum, op: opGE, a: 1200000, unit: "tỷ đồng"},
	{text: "5 năm đạt 1.200.000 tỷ đồng", kind: cum, op: opGE, a: 1200000, unit: "tỷ đồng"},

	// Other provinces' resolutions and plans, in the same style.
	{text: "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều giảm bình quân 1–1,5%/năm", kind: avgC, op: opRg, a: 1, b: 1.5, unit: pctY},
	{text: "giảm bình quân 1–1,5%/năm", kind: avgC, op: opRg, a: 1, b: 1.5, unit: pctY},
	{text: "Giảm tỷ lệ hộ nghèo bình quân 1,5%/năm", kind: avgC, op: opGE, a: 1.5, unit: pctY},
	{text: "Tỷ lệ đô thị hóa tăng bình quân 1 điểm phần trăm/năm", kind: avgC, op: opGE, a: 1, unit: "điểm phần trăm/năm"},
	{text: "Tỷ lệ hộ nghèo giảm bình quân 2 điểm %/năm", kind: avgC, op: opGE, a: 2, unit: "điểm phần trăm/năm"},
	{text: "Tiêu hao năng lượng giảm tương đối bình quân 2%/năm", kind: avgG, op: opLE, a: -2, unit: pctY},
	{text: "gấp 2 lần", unread: "lần"},
	{text: "Thu nhập bình quân đầu người gấp 2 lần so với năm 2020", kind: rel, op: opGE, a: 2, unit: times, base: 2020},
	{text: "Quy mô GRDP năm 2030 gấp 2 lần năm 2020", kind: rel, op: opGE, a: 2, unit: times, base: 2020},
	{text: "Thu nhập bình quân gấp 2,5 lần năm 2020", kind: rel, op: opGE, a: 2.5, unit: times, base: 2020},
	{text: "tăng 20% so với cùng kỳ", unread: "so với cùng kỳ"},
	{text: "GRDP năm 2026 tăng 10% so với cùng kỳ", unread: "so với cùng kỳ"},
	{text: "tăng 8% so với kế hoạch", unread: "so với kế hoạch"},
	{text: "Kim ngạch xuất khẩu năm 2025 tăng 10% so với năm 2024", kind: rel, op: opGE, a: 1.1, unit: times, base: 2024},
	{text: "Tổng mức bán lẻ hàng hóa tăng 20–25% so với năm 2020", kind: rel, op: opRg, a: 1.2, b: 1.25, unit: times, base: 2020},
	{text: "Phát thải khí nhà kính giảm 20–30% so với năm 2015", kind: rel, op: opRg, a: 0.7, b: 0.8, unit: times, base: 2015},
	{text: "Tai nạn giao thông giảm ít nhất 30% so với năm 2020", kind: rel, op: opLE, a: 0.7, unit: times, base: 2020},
	{text: "Số doanh nghiệp tăng trên 20% so với năm 2020", kind: rel, op: opGT, a: 1.2, unit: times, base: 2020},
	{text: "Số vụ cháy giảm trên 30% so với năm 2020", kind: rel, op: opLT, a: 0.7, unit: times, base: 2020},
	{text: "Số vụ phạm pháp hình sự giảm 2 lần so với năm 2020", kind: rel, op: opLE, a: 0.5, unit: times, base: 2020},
	{text: "Giảm so với năm 2020", unread: "năm gốc"},
	{text: "Đạt 80% so với năm 2020", unread: "tăng hay giảm"},
	{text: "Tăng trưởng dương 5 năm liên tiếp", unread: "5 năm"},
	{text: "5 năm đạt 30%", unread: "5 năm"},
	{text: "Trong 5 năm tạo việc làm cho 100.000 lao động", kind: cum, op: opGE, a: 100000, unit: "lao động"},
	{text: "Bình quân 5 năm đạt 30% GRDP", kind: mean, op: opGE, a: 30, unit: pct},
	{text: "Tốc độ tăng trưởng kinh tế (GRDP) bình quân đạt 8,5–9%/năm", kind: avgG, op: opRg, a: 8.5, b: 9, unit: pctY},
	{text: "GRDP bình quân đầu người đến năm 2025 đạt trên 100 triệu đồng", kind: lv, op: opGT, a: 100, unit: "triệu đồng"},
	{text: "Tỷ lệ lao động qua đào tạo đạt 70%, trong đó có bằng cấp, chứng chỉ đạt 28%", unread: "trong đó"},
	{text: "Tỷ lệ huy động trẻ mẫu giáo đạt 98%, trong đó trẻ 5 tuổi đạt 100%", unread: "trong đó"},
	{text: "Tổng vốn đầu tư 1.000 tỷ đồng, trong đó vốn ngân sách là chủ yếu", kind: lv, op: opGE, a: 1000, unit: "tỷ đồng"},
	{text: "Tỷ lệ bao phủ bảo hiểm y tế đạt trên 95% dân số", kind: lv, op: opGT, a: 95, unit: pct},
	{text: "Số bác sĩ/vạn dân đạt 12 bác sĩ", kind: lv, op: opGE, a: 12, unit: "bác sĩ"},
	{text: "Tỷ lệ dân số nông thôn sử dụng nước sạch đạt tối thiểu 70%", kind: lv, op: opGE, a: 70, unit: pct},
	{text: "Thu ngân sách nhà nước trên địa bàn tăng bình quân 10%/năm", kind: avgG, op: opGE, a: 10, unit: pctY},
	{text: "Kim ngạch xuất khẩu tăng bình quân 12%/năm", kind: avgG, op: opGE, a: 12, unit: pctY},
	{text: "Tổng vốn đầu tư toàn xã hội giai đoạn 2021-2025 đạt khoảng 400.000 tỷ đồng", kind: cum, op: opAb, a: 400000, unit: "tỷ đồng"},
	{text: "Có ít nhất 30% số xã đạt chuẩn nông thôn mới nâng cao", kind: lv, op: opGE, a: 30, unit: pct},
	{text: "Tỷ lệ thất nghiệp ở khu vực thành thị dưới 3%", kind: lv, op: opLT, a: 3, unit: pct},
	{text: "Tuổi thọ trung bình đạt 76 tuổi", kind: lv, op: opGE, a: 76, unit: "tuổi"},
	{text: "Chỉ số PCI thuộc nhóm 10 tỉnh, thành phố dẫn đầu cả nước", kind: lv, op: opLE, a: 10, unit: "hạng"},
	{text: "Tỷ lệ hộ nghèo giảm còn dưới 1%", kind: lv, op: opLT, a: 1, unit: pct},
	{text: "Tỷ lệ hộ nghèo giảm xuống dưới 3%", kind: lv, op: opLT, a: 3, unit: pct},
	{text: "Năng suất lao động tăng bình quân 6,5%/năm trở lên", kind: avgG, op: opGE, a: 6.5, unit: pctY},
	{text: "Tỷ trọng kinh tế số đạt 20% GRDP", kind: lv, op: opGE, a: 20, unit: pct},
	{text: "Vốn đầu tư toàn xã hội bằng 35% GRDP", kind: lv, op: opGE, a: 35, unit: pct},
	{text: "Tốc độ tăng năng suất lao động bình quân trên 7%/năm", kind: avgG, op: opGT, a: 7, unit: pctY},
	{text: "Hằng năm tạo việc làm mới cho 20.000 lao động", kind: ann, op: opGE, a: 20000, unit: "lao động"},
	{text: "Mỗi năm giải quyết việc làm cho khoảng 30 nghìn lao động", kind: ann, op: opAb, a: 30, unit: "nghìn lao động"},
	{text: "Hoàn thành 100% kế hoạch", kind: lv, op: opGE, a: 100, unit: pct},
	{text: "Đạt và vượt dự toán Trung ương giao", unread: "không có con số"},
	{text: "Diện tích nhà ở bình quân đầu người đạt 28 m2 sàn/người", kind: lv, op: opGE, a: 28, unit: "m2 sàn/người"},
	{text: "Tỷ lệ nội địa hóa đạt 30-35%", kind: lv, op: opRg, a: 30, b: 35, unit: pct},
	{text: "Đến năm 2030, tỷ lệ đô thị hóa đạt trên 50%", kind: lv, op: opGT, a: 50, unit: pct},
	{text: "Giai đoạn 2026-2030, GRDP tăng bình quân 10-10,5%/năm", kind: avgG, op: opRg, a: 10, b: 10.5, unit: pctY},
	{text: "Phấn đấu đạt 100% xã đạt chuẩn nông thôn mới", kind: lv, op: opGE, a: 100, unit: pct},
	{text: "Đến năm 2030 đạt 85%", kind: lv, op: opGE, a: 85, unit: pct},
	{text: "Tỷ lệ đô thị hóa từ 60% đến 65%", kind: lv, op: opRg, a: 60, b: 65, unit: pct},
	{text: "Từ 60 đến 65%", kind: lv, op: opRg, a: 60, b: 65, unit: pct},
	{text: "Ít nhất 2 bác sĩ/vạn dân", kind: lv, op: opGE, a: 2, unit: "bác sĩ/vạn dân"},
	{text: "Không thấp hơn 8%", kind: lv, op: opGE, a: 8, unit: pct},
	{text: "Không vượt quá 1,5%", kind: lv, op: opLE, a: 1.5, unit: pct},
	{text: "Xấp xỉ 100%", kind: lv, op: opAb, a: 100, unit: pct},
	{text: "Khoảng 1,2 triệu lượt khách", kind: lv, op: opAb, a: 1.2, unit: "triệu lượt khách"},
	{text: "Thấp hơn 16%", kind: lv, op: opLT, a: 16, unit: pct},
	{text: "Cao hơn 8%", kind: lv, op: opGT, a: 8, unit: pct},
	{text: "Vượt 10%", kind: lv, op: opGT, a: 10, unit: pct},
	{text: "Hơn 433.000 người, bằng 40% lực lượng lao động trong độ tuổi", kind: lv, op: opGT, a: 433000, unit: "người"},
	{text: "Hằng năm tăng 10%", kind: ann, op: opGE, a: 10, unit: pct},
	{text: "Mỗi năm giảm 1% tỷ lệ hộ nghèo", unread: "giảm"},
	{text: "Thu ngân sách tăng 20%", unread: "tăng"},
	{text: "9 tháng đầu năm tăng 7,39% so với cùng kỳ", unread: "so với cùng kỳ"},
	{text: "Tỷ lệ che phủ rừng duy trì ổn định 2,5%", kind: lv, op: opGE, a: 2.5, unit: pct},
	{text: "Tỷ lệ trường đạt chuẩn quốc gia 70%; tỷ lệ phòng học kiên cố 95%", unread: "nhiều con số"},
	{text: "Tỷ lệ thu gom chất thải rắn đô thị 98%, nông thôn 80%", unread: "nhiều con số"},
	{text: "Hoàn thành đúng tiến độ", unread: "không có con số"},
	{text: "", unread: "không có con số"},
	{text: "Top 10 tỉnh dẫn đầu", kind: lv, op: opLE, a: 10, unit: "hạng"},
	{text: "Không ít hơn 1.000 doanh nghiệp thành lập mới", kind: lv, op: opGE, a: 1000, unit: "doanh nghiệp thành lập mới"},
	{text: "Tăng trưởng tín dụng 12–14% trở xuống", kind: lv, op: opLE, a: 14, unit: pct},
}

// TestTargetLanguage reads every phrasing of the table: a reading must
// give the kind, the bound, the unit and the base year expected; an
// unread text must come back unread, with no bound, and a reason that
// names what stopped it.
func TestTargetLanguage(t *testing.T) {
	if n := len(languagePhrasings); n < 120 {
		t.Fatalf("the table has %d phrasings, want at least 120", n)
	}
	seen := map[string]bool{}
	for _, tc := range languagePhrasings {
		if seen[tc.text] {
			t.Errorf("%q is in the table twice", tc.text)
		}
		seen[tc.text] = true
		got, err := indicators.ParseTargetText(tc.text)
		if tc.unread != "" {
			if err == nil || got.Bound.Op != noop {
				t.Errorf("%q read as %s %s %v %v %q base %d; want unread (%s)", tc.text, got.Kind, got.Bound.Op,
					got.Bound.A, got.Bound.B, got.Unit, got.BaseYear, tc.unread)
				continue
			}
			if indicators.ErrorCode(err) != indicators.EINVALID || !strings.Contains(strings.ToLower(err.Error()), tc.unread) {
				t.Errorf("%q: reason %q; want one naming %q", tc.text, err, tc.unread)
			}
			if tc.kind != "" && got.Kind != tc.kind {
				t.Errorf("%q: unread with kind %s; want %s", tc.text, got.Kind, tc.kind)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		if got.Kind != tc.kind || got.Bound.Op != tc.op || got.Bound.A != tc.a || got.Bound.B != tc.b ||
			got.Unit != tc.unit || got.BaseYear != tc.base {
			t.Errorf("%q = %s %s %v %v %q base %d; want %s %s %v %v %q base %d", tc.text,
				got.Kind, got.Bound.Op, got.Bound.A, got.Bound.B, got.Unit, got.BaseYear,
				tc.kind, tc.op, tc.a, tc.b, tc.unit, tc.base)
		}
		if len(got.Words) == 0 {
			t.Errorf("%q: the reading names no words it rests on", tc.text)
		}
	}
}

// Every reading names the words it rests on, in the text's own words.
func TestTargetTextWords(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"trên 95%", []string{"trên", "95", "%"}},
		{"giảm 30% so với năm 2020", []string{"giảm", "so với năm 2020", "30", "%"}},
		{"gấp 1,5 lần so với năm 2020", []string{"gấp", "so với năm 2020", "1,5", "lần"}},
		{"tỷ lệ hộ nghèo giảm bình quân 1%/năm", []string{"1", "%/năm", "giảm", "tỷ lệ"}},
		{"5 năm đạt 1.200.000 tỷ đồng", []string{"1.200.000", "tỷ đồng", "5 năm"}},
		{"từ 80% trở lên", []string{"từ", "80", "%", "trở lên"}},
		{"bình quân 7,5–8%/năm", []string{"7,5-8", "%/năm", "bình quân", "%/năm"}},
	} {
		got, err := indicators.ParseTargetText(tc.text)
		if err != nil {
			t.Errorf("%q: %v", tc.text, err)
			continue
		}
		if strings.Join(got.Words, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%q rests on %q; want %q", tc.text, got.Words, tc.want)
		}
	}
}

// Direction: the words "giảm" say lower is better for the ratio or the
// points a year.
func TestTargetTextDirection(t *testing.T) {
	for text, want := range map[string]indicators.Direction{
		"giảm 30% so với năm 2020":                             indicators.Down,
		"tăng 20% so với năm 2020":                             indicators.Up,
		"tỷ lệ hộ nghèo giảm bình quân 1%/năm":                 indicators.Down,
		"tỷ lệ đô thị hóa tăng bình quân 1 điểm phần trăm/năm": indicators.Up,
		"trên 95%": "",
	} {
		got, err := indicators.ParseTargetText(text)
		if err != nil || got.Direction != want {
			t.Errorf("%q: direction %q, %v; want %q", text, got.Direction, err, want)
		}
	}
}
