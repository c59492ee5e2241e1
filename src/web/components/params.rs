use std::rc::Rc;

use yew::prelude::*;

use crate::engine::params::{Kind, Spec};
use crate::web::events::input_value;

#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub spec: Spec,
    pub text: AttrValue,
    pub error: Option<AttrValue>,
    pub on_edit: Callback<(&'static str, String)>,
}

/// One parameter: its label, its input (a select for choices), unit, range and any message.
#[component]
pub fn Field(props: &FieldProps) -> Html {
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
        <div class={classes!("field", props.error.is_some().then_some("invalid"))}>
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

#[derive(Properties, PartialEq)]
pub struct ParamFormProps {
    pub specs: Rc<Vec<Spec>>,
    pub texts: Rc<Vec<(&'static str, String)>>,
    pub errors: Rc<Vec<(&'static str, String)>>,
    pub on_edit: Callback<(&'static str, String)>,
}

/// The fields of every parameter but `speed` (which sits beside Run).
#[component]
pub fn ParamForm(props: &ParamFormProps) -> Html {
    html! {
        <div class="params">
            { for props.specs.iter().filter(|s| s.name != "speed").map(|spec| {
                let text = props.texts.iter().find(|(n, _)| *n == spec.name).map(|(_, t)| t.clone()).unwrap_or_default();
                let error = props.errors.iter().find(|(n, _)| *n == spec.name).map(|(_, m)| AttrValue::from(m.clone()));
                html! { <Field key={spec.name} spec={*spec} text={text} {error} on_edit={props.on_edit.clone()} /> }
            }) }
        </div>
    }
}
