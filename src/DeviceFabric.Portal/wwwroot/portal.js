// Enter in a Fluent text field submits its form on keypress, before the field reports its value (fluentui-blazor
// issue 1201), so the form's handler would see the value from before the typing. Reporting it on keydown, which
// comes first, keeps the order: the circuit hears the value, then the submit. Fields bind on change, not on every
// keystroke, because a circuit that answers slower than the typing would write older values back over newer keys.
document.addEventListener("keydown", event => {
    if (event.key !== "Enter" || event.isComposing) {
        return;
    }

    const field = event.composedPath().find(element => element instanceof HTMLElement && element.localName === "fluent-text-field");
    if (field) {
        field.dispatchEvent(new Event("change", { bubbles: true }));
    }
}, true);
