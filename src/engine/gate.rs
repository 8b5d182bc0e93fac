//! The recipe fingerprint: what a rehearsal proved. Production runs only
//! from a recipe whose fingerprint passed a rehearsal.

use std::io::Read;

use crate::model::Plan;

/// BLAKE3 of a file, streamed.
pub fn hash_file(path: &std::path::Path) -> std::io::Result<blake3::Hash> {
    let mut f = std::fs::File::open(path)?;
    let mut h = blake3::Hasher::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize())
}

/// The fingerprint covers the recipe (as canonical JSON, paths included)
/// and the BLAKE3 of the setup package. `None` when the plan has no setup.
pub fn fingerprint(plan: &Plan) -> Result<Option<String>, String> {
    let Some(setup) = &plan.recipe.setup else {
        return Ok(None);
    };
    let package = hash_file(&setup.package).map_err(|e| {
        format!(
            "{}: the setup package cannot be read ({e})",
            setup.package.display()
        )
    })?;
    let recipe = serde_json::to_vec(&plan.recipe).map_err(|e| e.to_string())?;
    let mut h = blake3::Hasher::new();
    h.update(b"dress-recipe-v1\0");
    h.update(&recipe);
    h.update(package.as_bytes());
    Ok(Some(h.finalize().to_hex()[..16].to_string()))
}
