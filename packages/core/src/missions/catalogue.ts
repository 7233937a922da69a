import type { Mission } from "../shared/missions";

/**
 * The missions catalogue that `npm start` seeds on first start, drawn from the agency's public
 * Missions pages. Staff manage it in the table afterwards; this list is only the starting point.
 */
export const SEED_MISSIONS: Mission[] = [
  {
    id: "food-system",
    name: { sv: "Ett nytt recept för matsystemet", en: "A new recipe for the food system" },
    description: {
      sv: "Ett hållbart, hälsosamt och konkurrenskraftigt matsystem där aktörer från jord till bord arbetar mot gemensamma mål.",
      en: "A sustainable, healthy and competitive food system, with actors from farm to fork working towards shared goals.",
    },
    contact: "team-food@example.org",
    status: "active",
  },
  {
    id: "mobility",
    name: { sv: "Mobilitet för hållbara städer", en: "Mobility for sustainable cities" },
    description: {
      sv: "Hållbar och tillgänglig mobilitet i vardagen, framtagen tillsammans med kommuner, näringsliv och invånare.",
      en: "Sustainable and accessible everyday mobility, shaped together with municipalities, business and residents.",
    },
    contact: "team-mobility@example.org",
    status: "active",
  },
  {
    id: "vision-driven-health",
    name: { sv: "Visionsdriven hälsa", en: "Vision-driven health" },
    description: {
      sv: "Ett program för jämlik hälsa, där vården och samhället utvecklas mot en gemensam vision.",
      en: "A programme for equal health, where care and society develop towards a shared vision.",
    },
    contact: "team-health@example.org",
    status: "active",
  },
  {
    id: "impact-innovation",
    name: { sv: "Impact Innovation", en: "Impact Innovation" },
    description: {
      sv: "Långsiktiga program som möter globala samhällsutmaningar genom systemförändring.",
      en: "Long-term programmes that meet global societal challenges through systems change.",
    },
    contact: "team-impact@example.org",
    status: "active",
  },
  {
    id: "societal-contract",
    name: { sv: "Samhällskontraktet", en: "The societal contract" },
    description: {
      sv: "En mission där aktörer driver förändring för ett mer sammanhållet och tillitsfullt samhälle.",
      en: "A mission in which actors drive change towards a more cohesive society built on trust.",
    },
    contact: "team-societal-contract@example.org",
    status: "active",
  },
];
