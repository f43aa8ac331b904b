//! The OData/REST response reader on arbitrary bodies: parsing (UTF-8,
//! nesting), the records at a data path, and flattening into columns.
//! Must never panic; errors are free of raw control characters.
#![no_main]

use inzage_connectors::http::json::{parse, records_at, table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let shown = "http://127.0.0.1/odata/contactmomenten?$filter=***";
    match parse(data, shown) {
        Ok(body) => {
            for path in ["", "value", "data.items"] {
                match records_at(body.clone(), path, shown) {
                    Ok(records) => {
                        let _ = table(&records);
                    }
                    Err(e) => assert!(!e.to_string().chars().any(|c| c.is_control())),
                }
            }
        }
        Err(e) => assert!(!e.to_string().chars().any(|c| c.is_control())),
    }
});
