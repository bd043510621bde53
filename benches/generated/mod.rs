//! A province-sized catalog made up from the demo one, the same on every machine: for the benchmarks that
//! need 10,000 procedures (search, the public pages).

use motcua::app::catalog;
use motcua::domain::catalog::{Procedure, RequiredDocument};
use motcua::interchange;

/// Words to vary names and documents with, so that the vocabulary grows like a province's catalog.
const WORDS: &[&str] = &[
    "cấp",
    "đổi",
    "lại",
    "điều chỉnh",
    "gia hạn",
    "thu hồi",
    "xác nhận",
    "công nhận",
    "đăng ký",
    "thông báo",
    "hỗ trợ",
    "trợ cấp",
    "giấy phép",
    "chứng chỉ",
    "hành nghề",
    "kinh doanh",
    "vận tải",
    "thủy sản",
    "lâm nghiệp",
    "khoáng sản",
    "môi trường",
    "tài nguyên nước",
    "di tích",
    "lễ hội",
    "quảng cáo",
    "karaoke",
    "dược",
    "y tế",
    "giáo dục",
    "mầm non",
    "thể thao",
    "du lịch",
    "nông nghiệp",
    "chăn nuôi",
    "thú y",
    "phân bón",
    "hóa chất",
    "điện lực",
    "viễn thông",
    "xuất bản",
    "tôn giáo",
    "tín ngưỡng",
    "dân tộc",
    "lao động",
    "việc làm",
    "bảo hiểm",
    "thuế",
    "ngân sách",
    "tài sản công",
    "nhà ở",
    "quy hoạch",
    "đô thị",
    "giao thông",
    "đường thủy",
    "phòng cháy",
    "an toàn thực phẩm",
    "hợp tác xã",
    "trang trại",
    "làng nghề",
    "khuyến công",
    "thi đua",
    "khen thưởng",
    "nội vụ",
    "thanh niên",
    "bình đẳng giới",
    "trẻ em",
    "người cao tuổi",
    "cựu chiến binh",
    "dân quân",
    "nghĩa vụ quân sự",
];
const UNITS: &[&str] = &[
    "xã Ea Kar",
    "xã Ea Knốp",
    "xã Cư Huê",
    "phường Tân Lập",
    "phường Thành Nhất",
    "xã Krông Búk",
    "xã Ea Đar",
    "xã Cư Ni",
    "xã Ea Sô",
    "xã Xuân Phú",
    "phường Ea Tam",
    "xã Hòa Thắng",
    "xã Ea Tu",
    "xã Cư Êbur",
    "xã Ea Kao",
    "xã Hòa Phú",
    "xã Đắk Liêng",
    "xã Buôn Triết",
    "xã Krông Nô",
    "xã Ea Ô",
    "xã Cư Yang",
    "xã Ea Păl",
    "xã Ea Sar",
    "xã Ea Pal",
    "phường Buôn Hồ",
];

/// A deterministic generator: the same catalog on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next() % items.len()]
    }
}

/// `rows` procedures made from the demo catalog's, with names, keywords and documents varied.
pub fn catalog(rows: usize) -> Vec<Procedure> {
    let demo = interchange::parse_catalog("demo", catalog::DEMO_CATALOG.as_bytes()).expect("demo parses").procedures;
    let mut rng = Lcg(0x6d6f_7463_7561);
    (0..rows)
        .map(|i| {
            let mut p = demo[i % demo.len()].clone();
            p.code = format!("{}.{:06}", 1 + i % 3, 100_000 + i);
            p.name = format!("{} {} {} ({})", p.name, rng.pick(WORDS), rng.pick(WORDS), rng.pick(UNITS));
            p.keywords.push(rng.pick(WORDS).to_string());
            for _ in 0..3 {
                p.documents.push(RequiredDocument {
                    name: format!("Giấy tờ về {} {}", rng.pick(WORDS), rng.pick(WORDS)),
                    originals: 1,
                    copies: 0,
                    form: None,
                    verified: Default::default(),
                });
            }
            p
        })
        .collect()
}
