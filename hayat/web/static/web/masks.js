// Input masks: the separators of a date of birth (06.12.2026) and of a phone number in the hospital's region
// (+998 90 123 45 67) appear while the digits are typed. They only help the eye: the server parses and judges
// what is sent, so a value the mask cannot shape is left as typed. Fields declare themselves:
//   data-mask="date"
//   data-mask="phone" data-mask-country="998" data-mask-national="## ### ## ##"
//   data-mask-international="+### ## ### ## ##"
// (# stands for a digit; hayat/patients/phones.py writes the patterns from the region's example number).
(function () {
  "use strict";

  // The digits laid into the pattern; separators only between digits, the digits beyond it appended.
  function shape(digits, pattern) {
    let out = "";
    let next = 0;
    for (const char of pattern) {
      if (next >= digits.length) break;
      if (char === "#") { out += digits[next]; next += 1; } else { out += char; }
    }
    return out + digits.slice(next);
  }

  function maskedDate(value) {
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
    if (iso) return iso[3] + "." + iso[2] + "." + iso[1];
    if (/[^\d.\s/-]/.test(value)) return value;
    const shaped = shape(value.replace(/\D/g, "").slice(0, 8), "##.##.####");
    const separatorTyped = /\D$/.test(value) && (shaped.length === 2 || shaped.length === 5);
    return separatorTyped ? shaped + "." : shaped;
  }

  function maskedPhone(value, field) {
    if (/[^\d\s()+-]/.test(value)) return value;
    const digits = value.replace(/\D/g, "");
    if (!value.trim().startsWith("+")) {
      return digits.startsWith("00") ? value : shape(digits, field.dataset.maskNational || "");
    }
    // The hospital's own country is grouped like its example; another country's number is left as typed.
    const code = field.dataset.maskCountry || "";
    const own = code && (digits.startsWith(code) || code.startsWith(digits));
    return own ? "+" + shape(digits, (field.dataset.maskInternational || "").replace(/^\+/, "")) : value;
  }

  function mask(field) {
    const value = field.value;
    const caretAtEnd = field.selectionStart === value.length;
    if (!caretAtEnd) return;  // an edit in the middle keeps the caret where the person put it
    const masked = field.dataset.mask === "date" ? maskedDate(value) : maskedPhone(value, field);
    if (masked !== value) field.value = masked;
  }

  document.addEventListener("input", (event) => {
    const field = event.target;
    if (!field.dataset || !field.dataset.mask) return;
    if (event.inputType && event.inputType.startsWith("delete")) return;  // deleting never puts a separator back
    mask(field);
  });
})();
