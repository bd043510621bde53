fn main() {
    let config = slint_build::CompilerConfiguration::new()
        // Vietnamese is the source language; English comes from the bundled translation.
        .with_bundled_translations("assets/lang")
        // Element names in the generated code: the UI tests find controls by their accessible labels.
        .with_debug_info(true);
    slint_build::compile_with_config("ui/app.slint", config).expect("ui/app.slint compiles");
}
