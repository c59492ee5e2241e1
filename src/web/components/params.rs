use yew::prelude::*;

use crate::engine::lang::params::{Kind, Spec};
use crate::web::events::input_value;

/// What a parameter field shows: its spec, its text, its message if the text is bad, and whom
/// to tell of an edit. A plain function, not a component: it has no state of its own, and a
/// component's machinery costs more of the shipped module than re-drawing a few fields does.
pub struct FieldProps {
    pub spec: Spec,
    pub text: AttrValue,
    pub error: Option<AttrValue>,
    pub on_edit: Callback<(&'static str, String)>,
}

/// One parameter: its label, its input (a select for choices), unit, range and any message.
pub fn field(props: &FieldProps) -> Html {
    let spec = props.spec;
    let id = format!("param-{}", spec.name);
    let help_id = format!("help-{}", spec.name);
    let err_id = format!("err-{}", spec.name);
    let described = if props.error.is_some() {
        format!("{err_id} {help_id}")
    } else {
        help_id.clone()
    };
    let on_edit = props.on_edit.clone();
    let name = spec.name;
    let onchange = Callback::from(move |e: Event| {
        if let Some(v) = input_value(&e) {
            on_edit.emit((name, v));
        }
    });
    let on_edit = props.on_edit.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(v) = input_value(&e) {
            on_edit.emit((name, v));
        }
    });
    let unit = match spec.kind {
        Kind::Number { unit, .. } | Kind::Integer { unit, .. } | Kind::NumberList { unit, .. } => {
            unit.suffix()
        }
        Kind::Choice(_) => "",
    };
    let input = match spec.kind {
        Kind::Choice(options) => html! {
            <select id={id.clone()} data-testid={id.clone()} aria-describedby={described} {onchange}>
                { for options.iter().map(|o| html! {
                    <option value={*o} selected={props.text == *o}>{ o.replace('_', " ") }</option>
                }) }
            </select>
        },
        _ => html! {
            <input
                id={id.clone()}
                data-testid={id.clone()}
                type="text"
                inputmode={if matches!(spec.kind, Kind::NumberList { .. }) { "text" } else { "decimal" }}
                autocomplete="off"
                spellcheck="false"
                value={props.text.clone()}
                aria-invalid={props.error.is_some().then_some("true")}
                aria-describedby={described}
                {oninput}
            />
        },
    };
    html! {
        <div key={spec.name} class={classes!("field", props.error.is_some().then_some("invalid"))}>
            <label for={id.clone()}>{ spec.label }</label>
            <div class="input-row">
                { input }
                if !unit.is_empty() { <span class="unit" aria-hidden="true">{ unit }</span> }
            </div>
            <p class="hint" id={help_id}>
                <span class="range">{ spec.range() }</span>{ " · " }{ spec.help }
            </p>
            if let Some(msg) = &props.error {
                <p class="error" id={err_id} role="alert" data-testid={format!("param-error-{}", spec.name)}>
                    { msg.clone() }
                </p>
            }
        </div>
    }
}

/// The fields of every parameter but `speed` (which sits beside Run).
pub fn param_form(
    specs: &[Spec],
    texts: &[(&'static str, String)],
    errors: &[(&'static str, String)],
    on_edit: &Callback<(&'static str, String)>,
) -> Html {
    html! {
        <div class="params">
            { for specs.iter().filter(|s| s.name != "speed").map(|spec| {
                let text = texts.iter().find(|(n, _)| *n == spec.name).map(|(_, t)| t.clone()).unwrap_or_default();
                let error = errors.iter().find(|(n, _)| *n == spec.name).map(|(_, m)| AttrValue::from(m.clone()));
                field(&FieldProps { spec: *spec, text: text.into(), error, on_edit: on_edit.clone() })
            }) }
        </div>
    }
}
