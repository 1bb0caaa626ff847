// What the seeded people say. Templates with slots ({order}, {product}, …) filled per message by
// SQL, so a million messages hold a realistic vocabulary: common words (order, coffee, thanks),
// rarer ones (refund, allergy), near-unique tokens (order numbers) and some non-English text, which
// is what full-text search meets in a real inbox.

export const CUSTOMER_TEMPLATES = [
  "Hi! Is order #{order} shipped yet?",
  "Hello, do you have the {product} in {size}?",
  "Thanks so much, {name} here 😊",
  "What time do you open on {day}?",
  "Can I change the delivery address for order #{order}? I moved to {city}.",
  "The {product} arrived damaged, can I get a refund?",
  "Is the {product} available for pickup in {city} today?",
  "I ordered the {product} on {day} but got a different one",
  "Do you ship to {city}? How long does it take?",
  "Can I pay with Apple Pay when I pick up order #{order}?",
  "Hey, any discount codes this week?",
  "My tracking number for #{order} does not work",
  "Does the {product} contain nuts? My son has an allergy",
  "I'd like to cancel order #{order} please",
  "Great service, the {product} was perfect!",
  "Are you hiring baristas in {city}?",
  "Is there oat milk for the {product}?",
  "I left my umbrella at your {city} shop on {day}, did anyone find it?",
  "When will the {product} be back in stock?",
  "Can you reserve two {product} for {time}?",
  "Still waiting for a reply about #{order}…",
  "ok",
  "👍",
  "Thank you!",
  "Hola, ¿tienen {product} en tamaño {size}? 🙏",
  "¿A qué hora cierran el {day}?",
  "Bonjour, ma commande #{order} n'est pas arrivée",
  "Merci beaucoup pour le {product} ☕",
  "Hallo, habt ihr den {product} auch entkoffeiniert?",
  "Olá! Vocês entregam em {city}?",
  "مرحبا، هل الطلب #{order} جاهز؟",
  "नमस्ते, क्या {product} उपलब्ध है?",
  "Can I get an invoice for order #{order}?",
  "The app charged me twice for #{order}",
  "Do you do catering for an office of 30 people in {city}?",
  "Love the new {product} 😍 where do I find the recipe?",
];

export const BUSINESS_TEMPLATES = [
  "Hi {name}! Order #{order} left our roastery this morning.",
  "Yes, the {product} is in stock in {size}.",
  "We open at {time} on {day}. See you then!",
  "So sorry about that {name}, we'll send a replacement {product} today.",
  "Your refund for #{order} is on its way, it takes 3-5 business days.",
  "The address for order #{order} is updated.",
  "We ship to {city} in 2 days, shipping is free over $40.",
  "Use code BEANS10 for 10% off this week ☕",
  "The {product} is nut-free, but it is made in a kitchen that handles nuts.",
  "Order #{order} is cancelled, the refund follows in a few days.",
  "Thank you {name}! 😊",
  "Here is your invoice for order #{order}.",
  "Yes, oat and almond milk are both available.",
  "We found it! It's waiting for you at the {city} counter.",
  "The {product} is back on {day}.",
  "Reserved two {product} for {time} under {name}.",
  "Sorry for the wait {name}, checking #{order} now.",
  "We refunded the duplicate charge on #{order}.",
  "Catering menus for {city} are on our website, happy to help you pick.",
  "¡Hola {name}! Sí, tenemos {product}.",
  "Bonjour {name}, votre commande #{order} arrive {day}.",
  "Hallo {name}, ja, auch entkoffeiniert.",
  "Olá {name}! Entregamos em {city} sim.",
  "You're welcome, have a great {day}!",
];

export const PRODUCTS = [
  "flat white",
  "cold brew",
  "espresso beans",
  "Ethiopia Yirgacheffe",
  "Colombia Huila",
  "decaf blend",
  "oat latte",
  "chai latte",
  "almond croissant",
  "banana bread",
  "French press",
  "pour-over kit",
  "ceramic mug",
  "gift card",
  "matcha latte",
  "house blend 1kg",
];

export const SIZES = ["small", "medium", "large", "250g", "500g", "1kg"];
export const DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
export const TIMES = ["7:30", "8:00", "9:15", "noon", "13:30", "16:00", "17:45"];
export const CITIES = ["Austin", "Berlin", "Lisbon", "Madrid", "Lyon", "Dubai", "Mumbai", "São Paulo", "Tokyo", "Toronto"];

export const FIRST_NAMES = [
  "Priya",
  "Lucas",
  "Amara",
  "Mateo",
  "Sofia",
  "Yuki",
  "Omar",
  "Chloé",
  "Jonas",
  "Fatima",
  "Liam",
  "Aisha",
  "Diego",
  "Hana",
  "Noah",
  "Leila",
  "Ethan",
  "Mei",
  "Rafael",
  "Zoe",
  "Arjun",
  "Ingrid",
  "Kwame",
  "Elena",
];

export const LAST_NAMES = [
  "Sharma",
  "Silva",
  "Okafor",
  "García",
  "Rossi",
  "Tanaka",
  "Haddad",
  "Martin",
  "Becker",
  "Khan",
  "Murphy",
  "Mensah",
  "López",
  "Kim",
  "Cohen",
  "Nakamura",
  "Ivanova",
  "Dubois",
  "Andersen",
  "Costa",
];

/** Every slot the SQL fills; a template may only use these. */
export const SLOTS = ["order", "product", "size", "day", "time", "city", "name"] as const;

/** The slots a template uses, so a test can hold templates and the SQL's replacements together. */
export function slotsOf(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "");
}
