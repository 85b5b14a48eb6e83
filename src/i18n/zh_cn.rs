//! Simplified Chinese strings.

use super::shell::Strings;

/// The Simplified Chinese table.
pub static STRINGS: Strings = Strings {
    widget_label: "店铺评价与会员福利",
    surface_titles: [
        "买家评价",
        "评价您的订单",
        "感谢您的订购",
        "您的惊喜",
        "会员专享优惠",
        "分享给好友",
        "好友送您的礼物",
    ],
    surface_leads: [
        "看看其他买家怎么说。",
        "告诉我们这次购物体验如何。",
        "订单已确认，接下来请看这里。",
        "包装上的兑换码为您带来一份小惊喜。",
        "本店会员专享的优惠。",
        "邀请好友来这里购物。",
        "一位本店顾客送了您这份礼物。",
    ],
    config_notice_title: "此组件配置有误",
    config_notice_intro: "请检查 <encore-widget> 的以下属性：",
    err_missing: "缺少必填属性“{attr}”。",
    err_mode: "模式“{value}”无效，请使用：{modes}。",
    err_endpoint: "接口地址“{value}”无效，请使用 https://… 或以 / 开头的路径。",
    err_store: "店铺标识“{value}”无效（仅限小写字母、数字、- 和 _）。",
    err_locale: "语言“{value}”不是有效的语言标记，例如 en 或 zh-CN。",
    err_theme: "主题“{value}”无效，请使用 auto、light 或 dark。",
    err_value: "属性“{attr}”过长或包含不可见字符。",
    outbox_full: "您设备上为本店保留的存储空间已满，暂时无法保存，请稍后再试。",
    storage_failed: "无法在您的设备上保存，请确认浏览器允许网站存储后重试。",
    result_too_large: "内容过大，无法提交。请精简内容或删除一张照片后重试。",
};
